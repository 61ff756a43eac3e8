import { startBedrockEmulator, type EmulatorCredentials, type RunningBedrockEmulator } from '../emulator/index.js';
import { CliUsageError } from './cli-usage-error.js';
import { PROGRAM } from './format-help.js';
import { formatRequestLog, type RequestLogFormat } from './format-request-log.js';
import { scaledClock } from './scaled-clock.js';
import type { CliCommand, CliIo, FlagValues } from './types.js';

/** How often new entries of the emulator's request log are printed (`--log`). */
const LOG_POLL_MS = 20;

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

/** Prints the entries the emulator adds to its request log, as they appear. */
function watchRequestLog(emulator: RunningBedrockEmulator, format: RequestLogFormat, io: CliIo): () => void {
  // The emulator's public API has no per-request callback; its `requests` log grows by one
  // entry per handled request, so new entries are read on a short timer (and once at stop).
  let printed = 0;
  const drain = (): void => {
    const entries = emulator.requests;
    for (; printed < entries.length; printed++) {
      const entry = entries[printed];
      if (entry) io.err(formatRequestLog(entry, format, new Date()));
    }
  };
  const timer = setInterval(drain, LOG_POLL_MS);
  return () => {
    clearInterval(timer);
    drain();
  };
}

/** Resolves on the first SIGINT or SIGTERM. */
function untilSignal(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    const onSignal = (signal: NodeJS.Signals): void => {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      resolve(signal);
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  });
}

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
  ],
  details: `Without credentials flags any request is accepted. The environment variables to export
are printed on stdout; the request log (--log) goes to stderr.

Examples:
  npx ${PROGRAM} emulator --port 4010 --log
  npx ${PROGRAM} emulator --access-key-id AKIDEXAMPLE --secret-access-key secret --log json 2>requests.jsonl
  npx ${PROGRAM} emulator --time-scale 60     # cache TTLs pass 60x faster`,

  async run(flags, io) {
    const credentials = credentialsFrom(flags);
    const apiKeys = Array.isArray(flags['api-key']) ? flags['api-key'] : [];
    const port = typeof flags.port === 'number' ? flags.port : 4010;
    const host = str(flags.host) ?? '127.0.0.1';
    const timeScale = typeof flags['time-scale'] === 'number' ? flags['time-scale'] : 1;
    const emulator = await listen({
      port,
      host,
      ...(credentials && { credentials }),
      ...(apiKeys.length > 0 && { apiKey: apiKeys }),
      ...(timeScale !== 1 && { now: scaledClock(timeScale) }),
      streamCacheDetails: flags['stream-cache-details'] === true,
      acceptUnknownModels: flags['accept-unknown-models'] === true,
      hiddenTokens: flags['no-hidden-tokens'] !== true,
    });
    const signal = untilSignal();
    const stopLog = flags.log === undefined ? () => {} : watchRequestLog(emulator, flags.log as RequestLogFormat, io);
    // a wildcard address is reached on loopback from this machine
    const url = WILDCARD_HOSTS.has(host) ? `http://127.0.0.1:${emulator.port}` : emulator.url;
    io.out(banner(url, host, str(flags.region) ?? 'us-east-1', credentials, apiKeys, timeScale));

    const received = await signal;
    stopLog();
    await emulator.close();
    io.err(`# ${received}: emulator stopped\n`);
    return 0;
  },
};
