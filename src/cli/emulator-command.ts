import { readFileSync } from 'node:fs';
import {
  parseReplyRules,
  replyFromRules,
  startBedrockEmulator,
  type EmulatorCredentials,
  type EmulatorRequestLogEntry,
  type ReplyOption,
  type RunningBedrockEmulator,
} from '../emulator/index.js';
import { CliUsageError } from './cli-usage-error.js';
import { PROGRAM } from './format-help.js';
import { formatRequestLog, type RequestLogFormat } from './format-request-log.js';
import { scaledClock } from './scaled-clock.js';
import type { CliCommand, FlagValues } from './types.js';

/** The parent process when this module loaded (as early as the command can learn it). */
const PARENT_AT_START = process.ppid;

/** How often the command checks that its parent process is still there. */
const PARENT_POLL_MS = 200;

/**
 * What the command's request log keeps: summaries (sizes, never bodies) of the last 1,000
 * requests. `--log` prints each entry as it is made, whatever the log keeps.
 */
const COMMAND_REQUEST_LOG = { bodies: 'none', maxEntries: 1_000 } as const;

/** `--host` values that listen on every interface: clients on this machine reach them on loopback. */
const WILDCARD_HOSTS = new Set(['0.0.0.0', '::', '[::]']);

const str = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);

/** SigV4 credentials from the flags: both halves or neither. */
function credentialsFrom(flags: FlagValues): EmulatorCredentials | undefined {
  const accessKeyId = str(flags['access-key-id']);
  const secretAccessKey = str(flags['secret-access-key']);
  const sessionToken = str(flags['session-token']);
  if (accessKeyId === undefined && secretAccessKey === undefined) {
    if (sessionToken !== undefined) throw new CliUsageError('--session-token needs --access-key-id and --secret-access-key');
    return undefined;
  }
  if (accessKeyId === undefined || secretAccessKey === undefined) {
    throw new CliUsageError('--access-key-id and --secret-access-key go together: give both or neither');
  }
  return { accessKeyId, secretAccessKey, ...(sessionToken !== undefined && { sessionToken }) };
}

/** The banner: what the emulator accepts and the environment variables to export. */
function banner(url: string, host: string, region: string, credentials: EmulatorCredentials | undefined, apiKeys: string[], timeScale: number): string {
  const lines = [`# Amazon Bedrock emulator (${PROGRAM}) listening on ${url}${WILDCARD_HOSTS.has(host) ? ` (all interfaces, --host ${host})` : ''}`];
  lines.push(`export AWS_ENDPOINT_URL_BEDROCK_RUNTIME=${url}`);
  if (credentials) {
    lines.push(`export AWS_ACCESS_KEY_ID=${credentials.accessKeyId}`, `export AWS_SECRET_ACCESS_KEY=${credentials.secretAccessKey}`);
    if (credentials.sessionToken !== undefined) lines.push(`export AWS_SESSION_TOKEN=${credentials.sessionToken}`);
  }
  // AWS_BEARER_TOKEN_BEDROCK: the API-key variable of the AWS SDKs and @ai-sdk/amazon-bedrock
  if (apiKeys[0] !== undefined) lines.push(`export AWS_BEARER_TOKEN_BEDROCK=${apiKeys[0]}`);
  if (!credentials && apiKeys.length === 0) {
    lines.push('# no --access-key-id / --api-key: any signature or key is accepted', 'export AWS_ACCESS_KEY_ID=emulator', 'export AWS_SECRET_ACCESS_KEY=emulator');
  }
  // AWS_REGION for the JS SDKs and the AI SDK provider; botocore (boto3, the AWS CLI) reads only
  // AWS_DEFAULT_REGION (botocore/configprovider.py: 'region': ('region', 'AWS_DEFAULT_REGION', …))
  lines.push(`export AWS_REGION=${region}`, `export AWS_DEFAULT_REGION=${region}`);
  if (timeScale !== 1) {
    lines.push(`# clock runs ${timeScale}x: a 5m cache entry expires after ${(300 / timeScale).toPrecision(3)} s, a 1h one after ${(3600 / timeScale).toPrecision(3)} s`);
  }
  lines.push('# Ctrl-C (SIGINT) or SIGTERM stops it');
  return `${lines.join('\n')}\n`;
}

/**
 * Resolves with the reason to stop: the first SIGINT or SIGTERM, or the parent process going
 * away. `npx` runs the command under `sh -c`, and a signal to npx kills that shell without
 * reaching node (npm forwards it to the shell only), so node is re-parented: a changed
 * `process.ppid` is how it learns. A second signal while stopping exits at once.
 */
function untilStopRequested(): Promise<string> {
  return new Promise((resolve) => {
    const parent = PARENT_AT_START;
    const watch = setInterval(() => {
      if (process.ppid !== parent) stop('parent process exited');
    }, PARENT_POLL_MS);
    const onSignal = (signal: NodeJS.Signals): void => stop(signal);
    const stop = (reason: string): void => {
      clearInterval(watch);
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      const again = (): void => process.exit(1);
      process.once('SIGINT', again);
      process.once('SIGTERM', again);
      resolve(reason);
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  });
}

/** Reads `--reply <file>`: a JSON list of replies or rules; a bad file is a usage error naming what is wrong. */
function readReplyFile(file: string): ReplyOption {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new CliUsageError(`--reply ${file}: cannot read it (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
  }
  try {
    return replyFromRules(parseReplyRules(JSON.parse(text)));
  } catch (error) {
    throw new CliUsageError(`--reply ${file}: ${error instanceof Error ? error.message : String(error)}`);
  }
}

/** Seconds from a flag, as the library's milliseconds. */
const seconds = (value: unknown): number | undefined => (typeof value === 'number' ? Math.round(value * 1000) : undefined);

/** Starts the emulator; a taken port or a bad host becomes a clear message. */
async function listen(options: Parameters<typeof startBedrockEmulator>[0] & { port: number; host: string }): Promise<RunningBedrockEmulator> {
  try {
    return await startBedrockEmulator(options);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE') throw new CliUsageError(`--port ${options.port}: the port is in use on ${options.host} (--port 0 picks a free one)`);
    if (code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND' || code === 'EAI_AGAIN') {
      throw new CliUsageError(`--host ${options.host}: not an address of this machine (${code})`);
    }
    if (code === 'EACCES') throw new CliUsageError(`--port ${options.port}: permission denied (ports below 1024 need privileges)`);
    throw error;
  }
}

/** `ai-sdk-bedrock-cache emulator`: the Bedrock emulator as a local HTTP service. */
export const emulatorCommand: CliCommand = {
  summary: 'Run the Amazon Bedrock runtime emulator (prompt caching included) as a local HTTP server',
  flags: [
    { name: 'port', type: 'integer', min: 0, max: 65535, valueName: 'n', description: 'TCP port (default 4010; 0 picks a free one)' },
    { name: 'host', type: 'string', valueName: 'address', description: 'interface to bind (default 127.0.0.1; 0.0.0.0 for a container)' },
    { name: 'access-key-id', type: 'string', valueName: 'id', description: 'accept only SigV4 requests signed with this key id…' },
    { name: 'secret-access-key', type: 'string', valueName: 'key', description: '…and this secret key' },
    { name: 'session-token', type: 'string', valueName: 'token', description: 'also require this x-amz-security-token' },
    { name: 'api-key', type: 'string', repeatable: true, valueName: 'key', description: 'accept this Bedrock API key (Authorization: Bearer); repeatable' },
    { name: 'region', type: 'string', valueName: 'name', description: 'AWS_REGION / AWS_DEFAULT_REGION to print (default us-east-1)' },
    {
      name: 'time-scale',
      type: 'number',
      min: 0,
      exclusiveMin: true,
      valueName: 'x',
      description: 'run the cache clock x times faster (60: a 5m TTL passes in 5 s)',
    },
    { name: 'log', type: 'enum', values: ['text', 'json'], bareValue: 'text', description: 'one line per request on stderr: operation, model, status, tokens' },
    { name: 'stream-cache-details', type: 'boolean', description: 'include cacheDetails in ConverseStream usage (Bedrock often omits it)' },
    { name: 'accept-unknown-models', type: 'boolean', description: 'answer model ids newer than the catalogue (default: 400, as Bedrock answers a typo)' },
    { name: 'no-hidden-tokens', type: 'boolean', description: "count content tokens only (round figures), not Bedrock's hidden per-request and tool-prompt tokens" },
    { name: 'reply', type: 'string', valueName: 'file', description: 'scripted replies: a JSON list of replies, or of rules with "when" (see below)' },
    { name: 'headers-timeout', type: 'number', min: 0.001, valueName: 's', description: 'seconds a client has to send a request\'s headers (default 10)' },
    { name: 'request-timeout', type: 'number', min: 0.001, valueName: 's', description: 'seconds a client has to send a whole request (default 60)' },
    { name: 'idle-timeout', type: 'number', min: 0.001, valueName: 's', description: 'seconds an idle connection stays open (default 30)' },
    { name: 'max-body-bytes', type: 'integer', min: 0, valueName: 'n', description: 'largest request body (default 25000000, Bedrock\'s InvokeModel limit)' },
  ],
  details: `Without credentials flags any request is accepted. The environment variables to export
are printed on stdout; the request log (--log) goes to stderr. It stops on SIGINT, SIGTERM,
or when its parent process exits.

--reply file: [{"text": "Hi"}, {"toolUses": [{"name": "get_weather", "input": {"city": "Paris"}}]}]
replies in order, then an echo of the last user text; or rules, the first match answers:
[{"when": {"hasToolResult": false}, "toolUses": [{"name": "get_weather", "input": {"city": "Paris"}}]},
 {"when": {"lastUserText": "weather"}, "text": "Sunny", "reasoning": "…"}]
"when" fields: operation, modelId (substring), lastUserText (substring), hasToolResult, index.

Examples:
  npx ${PROGRAM} emulator --port 4010 --log
  npx ${PROGRAM} emulator --access-key-id AKIDEXAMPLE --secret-access-key secret --log json 2>requests.jsonl
  npx ${PROGRAM} emulator --time-scale 60     # cache TTLs pass 60x faster
  npx ${PROGRAM} emulator --reply replies.json --log`,

  async run(flags, io) {
    const credentials = credentialsFrom(flags);
    const apiKeys = Array.isArray(flags['api-key']) ? flags['api-key'] : [];
    const port = typeof flags.port === 'number' ? flags.port : 4010;
    const host = str(flags.host) ?? '127.0.0.1';
    const timeScale = typeof flags['time-scale'] === 'number' ? flags['time-scale'] : 1;
    const reply = typeof flags.reply === 'string' ? readReplyFile(flags.reply) : undefined;
    const logFormat = flags.log as RequestLogFormat | undefined;
    const timeouts = {
      headersTimeoutMs: seconds(flags['headers-timeout']),
      requestTimeoutMs: seconds(flags['request-timeout']),
      idleTimeoutMs: seconds(flags['idle-timeout']),
    };
    if ((timeouts.headersTimeoutMs ?? 10_000) > (timeouts.requestTimeoutMs ?? 60_000)) {
      throw new CliUsageError('--headers-timeout must not exceed --request-timeout');
    }
    const emulator = await listen({
      port,
      host,
      ...(credentials && { credentials }),
      ...(apiKeys.length > 0 && { apiKey: apiKeys }),
      ...(timeScale !== 1 && { now: scaledClock(timeScale) }),
      streamCacheDetails: flags['stream-cache-details'] === true,
      acceptUnknownModels: flags['accept-unknown-models'] === true,
      hiddenTokens: flags['no-hidden-tokens'] !== true,
      ...(reply && { reply }),
      ...Object.fromEntries(Object.entries(timeouts).filter(([, value]) => value !== undefined)),
      ...(typeof flags['max-body-bytes'] === 'number' && { maxBodyBytes: flags['max-body-bytes'] }),
      requestLog: COMMAND_REQUEST_LOG,
      ...(logFormat && { onRequest: (entry: EmulatorRequestLogEntry) => io.err(formatRequestLog(entry, logFormat, new Date())) }),
    });
    const stopRequested = untilStopRequested();
    // a wildcard address is reached on loopback from this machine
    const url = WILDCARD_HOSTS.has(host) ? `http://127.0.0.1:${emulator.port}` : emulator.url;
    io.out(banner(url, host, str(flags.region) ?? 'us-east-1', credentials, apiKeys, timeScale));

    const received = await stopRequested;
    await emulator.close();
    io.err(`# ${received}: emulator stopped\n`);
    return 0;
  },
};
