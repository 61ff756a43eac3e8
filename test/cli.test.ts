/**
 * The `ai-sdk-bedrock-cache` command line: help and usage errors in process (runCli with a
 * capturing io), and `emulator` as a real process: the AI SDK's Bedrock provider talks to it
 * over HTTP with the environment it prints, its request log, its clock, and its shutdown.
 */
import { createAmazonBedrock } from '@ai-sdk/amazon-bedrock';
import { generateText, wrapLanguageModel, type ModelMessage } from 'ai';
import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { bedrockCacheMiddleware, getBedrockCacheUsage } from '../src';
import { runCli } from '../src/cli/run-cli';
import { scaledClock } from '../src/cli/scaled-clock';
import { runCliProcess, startEmulatorCli, type CliProcess } from './cli-process';
import { LONG_SYSTEM, SONNET } from './support/fixtures';

/** Runs the CLI in process; returns its exit code and output. */
async function cli(...argv: string[]) {
  const output = { out: '', err: '' };
  const code = await runCli(argv, { out: (t) => void (output.out += t), err: (t) => void (output.err += t) });
  return { code, ...output };
}

/** A provider configured from the CLI's printed environment only, as a user's shell would. */
function providerFrom(env: Record<string, string>) {
  return createAmazonBedrock({
    baseURL: env.AWS_ENDPOINT_URL_BEDROCK_RUNTIME,
    region: env.AWS_REGION,
    accessKeyId: env.AWS_ACCESS_KEY_ID,
    secretAccessKey: env.AWS_SECRET_ACCESS_KEY,
  });
}

/** True once nothing accepts connections on `port` (the listener is gone). */
function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

const running: CliProcess[] = [];
afterEach(() => {
  for (const process of running.splice(0)) process.child.kill('SIGKILL');
});
async function start(args: string[] = []) {
  const started = await startEmulatorCli(args);
  running.push(started);
  return started;
}

describe('help and usage errors', () => {
  it('lists the commands, and each flag of emulator', async () => {
    const top = await cli('--help');
    expect(top).toMatchObject({ code: 0 });
    expect(top.out).toMatch(/^ {2}emulator {2}Run the Amazon Bedrock runtime emulator/m);
    const help = await cli('emulator', '--help');
    expect(help.code).toBe(0);
    for (const flag of ['--port <n>', '--host', '--access-key-id', '--secret-access-key', '--api-key', '--time-scale', '--log [text|json]', '--reply <file>', '--headers-timeout <s>', '--request-timeout <s>', '--idle-timeout <s>', '--max-body-bytes <n>']) {
      expect(help.out).toContain(flag);
    }
  });

  it.each([
    [['emulator', '--log', 'xml'], "--log must be one of: text, json (got 'xml')"],
    [['emulator', '--port', 'abc'], "--port must be an integer from 0 to 65535 (got 'abc')"],
    [['emulator', '--port=70000'], "--port must be an integer from 0 to 65535 (got '70000')"],
    [['emulator', '--time-scale', '0'], "--time-scale must be a number greater than 0 (got '0')"],
    [['emulator', '--prot', '4010'], 'unknown flag --prot'],
    [['emulator', '--host'], '--host needs a value: <address>'],
    [['emulator', '--access-key-id', 'AKID'], '--access-key-id and --secret-access-key go together'],
    [['emulator', '4010'], "unexpected argument '4010'"],
    [['emulator', '--port', '1', '--port', '2'], '--port given twice'],
    [['emulatr'], "unknown command 'emulatr'; commands: emulator"],
    [['emulator', '--idle-timeout', '0'], "--idle-timeout must be a number of at least 0.001 (got '0')"],
    [['emulator', '--headers-timeout', '90'], '--headers-timeout must not exceed --request-timeout'],
  ])('%j: exit 2, %s', async (argv, message) => {
    const result = await cli(...argv);
    expect(result.code).toBe(2);
    expect(result.err).toContain(message);
    expect(result.out).toBe('');
  });

  it('no command: the command list on stderr, exit 2', async () => {
    const result = await cli();
    expect(result).toMatchObject({ code: 2, out: '' });
    expect(result.err).toContain('Usage: ai-sdk-bedrock-cache <command>');
  });

  it('a taken port is named in the error', async () => {
    const blocker = net.createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const { port } = blocker.address() as net.AddressInfo;
    try {
      const result = await cli('emulator', '--port', String(port));
      expect(result.code).toBe(2);
      expect(result.err).toContain(`--port ${port}: the port is in use`);
    } finally {
      blocker.close();
    }
  });
});

describe('emulator as a process', () => {
  it('prints the environment; the AI SDK reads the second turn from the cache; --log prints each request', async () => {
    const emulator = await start(['--log']);
    expect(emulator.env).toMatchObject({
      AWS_ENDPOINT_URL_BEDROCK_RUNTIME: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+$/),
      AWS_ACCESS_KEY_ID: expect.any(String),
      AWS_SECRET_ACCESS_KEY: expect.any(String),
      AWS_REGION: 'us-east-1',
      AWS_DEFAULT_REGION: 'us-east-1', // what boto3 reads
    });
    const model = wrapLanguageModel({ model: providerFrom(emulator.env)(SONNET), middleware: bedrockCacheMiddleware() });
    const messages: ModelMessage[] = [{ role: 'user', content: 'What is the return window?' }];
    const first = await generateText({ model, system: LONG_SYSTEM, messages });
    messages.push(...first.response.messages, { role: 'user', content: 'And for shoes?' });
    const second = await generateText({ model, system: LONG_SYSTEM, messages });
    const written = getBedrockCacheUsage(first)!.cacheWriteInputTokens;
    expect(written).toBeGreaterThan(3000);
    expect(getBedrockCacheUsage(second)!.cacheReadInputTokens).toBe(written);

    const lines = await emulator.waitFor('stderr', /(.*\n){2}/);
    const escapedModel = SONNET.replace(/[.:]/g, '\\$&');
    expect(lines[0]).toMatch(new RegExp(`^\\S+Z Converse ${escapedModel} 200 uncached=\\d+ read=0 write=${written} out=\\d+\\n`));
    expect(lines[0]).toMatch(new RegExp(`\\n\\S+Z Converse ${escapedModel} 200 uncached=\\d+ read=${written} write=\\d+ out=\\d+\\n$`));
  });

  it('--log json: one JSON object per request, rejections with their error', async () => {
    const emulator = await start(['--log', 'json']);
    const url = `${emulator.env.AWS_ENDPOINT_URL_BEDROCK_RUNTIME}/model/${encodeURIComponent(SONNET)}/converse`;
    const response = await fetch(url, { method: 'POST', body: JSON.stringify({ messages: [] }) });
    expect(response.status).toBe(400);
    const [line] = await emulator.waitFor('stderr', /^\{.*\}$/m);
    expect(JSON.parse(line)).toMatchObject({
      operation: 'Converse',
      modelId: SONNET,
      status: 400,
      errorType: 'ValidationException',
      message: (await response.json()).message,
      time: expect.stringMatching(/Z$/),
    });
  });

  it('with --access-key-id/--secret-access-key: those sign, another secret is rejected', async () => {
    const emulator = await start(['--access-key-id', 'AKIDCLI', '--secret-access-key', 'cli-secret']);
    expect(emulator.env).toMatchObject({ AWS_ACCESS_KEY_ID: 'AKIDCLI', AWS_SECRET_ACCESS_KEY: 'cli-secret' });
    const prompt = { prompt: 'Hello', maxRetries: 0 };
    await expect(generateText({ model: providerFrom(emulator.env)(SONNET), ...prompt })).resolves.toBeDefined();
    const wrong = providerFrom({ ...emulator.env, AWS_SECRET_ACCESS_KEY: 'not-the-secret' });
    await expect(generateText({ model: wrong(SONNET), ...prompt })).rejects.toThrow(/signature/i);
  });

  it('with --api-key: prints AWS_BEARER_TOKEN_BEDROCK, which authenticates', async () => {
    const emulator = await start(['--api-key', 'cli-api-key']);
    expect(emulator.env.AWS_BEARER_TOKEN_BEDROCK).toBe('cli-api-key');
    expect(emulator.env.AWS_ACCESS_KEY_ID).toBeUndefined();
    const bedrock = (apiKey: string) =>
      createAmazonBedrock({ baseURL: emulator.env.AWS_ENDPOINT_URL_BEDROCK_RUNTIME, region: 'us-east-1', apiKey });
    await expect(generateText({ model: bedrock('cli-api-key')(SONNET), prompt: 'Hi' })).resolves.toBeDefined();
    await expect(generateText({ model: bedrock('other-key')(SONNET), prompt: 'Hi', maxRetries: 0 })).rejects.toThrow();
  });

  it("counts Bedrock's hidden tokens and rejects unknown model ids; --no-hidden-tokens and --accept-unknown-models turn that off", async () => {
    const converse = async (env: Record<string, string>, modelId: string) => {
      const url = `${env.AWS_ENDPOINT_URL_BEDROCK_RUNTIME}/model/${encodeURIComponent(modelId)}/converse`;
      const response = await fetch(url, { method: 'POST', body: JSON.stringify({ messages: [{ role: 'user', content: [{ text: 'hello' }] }] }) });
      return { status: response.status, body: (await response.json()) as { message?: string; usage?: { inputTokens: number } } };
    };
    const strict = await start([]);
    expect(await converse(strict.env, 'anthropic.claude-nonexistent-9')).toEqual({ status: 400, body: { message: 'The provided model identifier is invalid.' } });
    // "hello": 1 token + 3 for the message, + 4 hidden per request on Claude
    expect((await converse(strict.env, SONNET)).body.usage?.inputTokens).toBe(8);
    const lenient = await start(['--accept-unknown-models', '--no-hidden-tokens']);
    expect((await converse(lenient.env, 'anthropic.claude-nonexistent-9')).status).toBe(200);
    expect((await converse(lenient.env, SONNET)).body.usage?.inputTokens).toBe(4);
  });

  it('--time-scale: a 5m entry has expired once 5m of scaled time has passed', async () => {
    // at 3000x, 5 minutes are 100 ms: however slow the machine, waiting 300 ms passes them
    const emulator = await start(['--time-scale', '3000']);
    expect(emulator.stdout()).toContain('# clock runs 3000x');
    const model = wrapLanguageModel({ model: providerFrom(emulator.env)(SONNET), middleware: bedrockCacheMiddleware() });
    const first = await generateText({ model, system: LONG_SYSTEM, prompt: 'Hi' });
    await new Promise((resolve) => setTimeout(resolve, 300));
    const second = await generateText({ model, system: LONG_SYSTEM, prompt: 'Hi' });
    expect(getBedrockCacheUsage(first)!.cacheWriteInputTokens).toBeGreaterThan(3000);
    expect(getBedrockCacheUsage(second)).toMatchObject({ cacheReadInputTokens: 0, cacheWriteInputTokens: getBedrockCacheUsage(first)!.cacheWriteInputTokens });
  });

  it('scaledClock runs from the real time it starts at', () => {
    let real = 1_000;
    const now = scaledClock(60, () => real);
    real += 5_000;
    expect(now()).toBe(1_000 + 300_000);
  });

  it.each(['SIGINT', 'SIGTERM'] as const)('%s: exit 0, port released', async (signal) => {
    const emulator = await start();
    const port = Number(new URL(emulator.env.AWS_ENDPOINT_URL_BEDROCK_RUNTIME!).port);
    expect(await portIsFree(port)).toBe(false);
    emulator.child.kill(signal);
    expect(await emulator.exited).toBe(0);
    expect(emulator.stderr()).toContain(`# ${signal}: emulator stopped`);
    expect(await portIsFree(port)).toBe(true);
  });

  it('a bad flag exits 2 before listening', async () => {
    const process = runCliProcess(['emulator', '--log', 'xml']);
    running.push(process);
    expect(await process.exited).toBe(2);
    expect(process.stderr()).toContain("--log must be one of: text, json (got 'xml')");
    expect(process.stdout()).toBe('');
  });
});
