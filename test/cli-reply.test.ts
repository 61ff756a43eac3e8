/**
 * The emulator command's scripted replies (`--reply <file>`) driving the real AI SDK's tool loop
 * over HTTP, the reply file's errors, the rules' matching, and a text log that escapes what
 * a client put in the URL.
 */
import { createAmazonBedrock } from '@ai-sdk/amazon-bedrock';
import { generateText, stepCountIs, streamText, wrapLanguageModel } from 'ai';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { bedrockCacheMiddleware } from '../src';
import { runCli } from '../src/cli/run-cli';
import { escapeControlCharacters, formatRequestLog } from '../src/cli/format-request-log';
import { createBedrockEmulator, parseReplyRules, replyFromRules, type ReplyRule } from '../src/emulator';
import { startEmulatorCli, type CliProcess } from './cli-process';
import { LONG_SYSTEM, SONNET, weatherTools } from './support/fixtures';

const dir = mkdtempSync(path.join(tmpdir(), 'emulator-reply-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const running: CliProcess[] = [];
afterEach(() => {
  for (const process of running.splice(0)) process.child.kill('SIGKILL');
});

/** Writes a reply file; returns its path. */
function replyFile(name: string, content: unknown): string {
  const file = path.join(dir, name);
  writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content));
  return file;
}

const providerFrom = (env: Record<string, string>) =>
  createAmazonBedrock({
    baseURL: env.AWS_ENDPOINT_URL_BEDROCK_RUNTIME,
    region: env.AWS_REGION,
    accessKeyId: env.AWS_ACCESS_KEY_ID,
    secretAccessKey: env.AWS_SECRET_ACCESS_KEY,
  });

/** An agent's script: call the weather tool for the city asked about, then answer from its result. */
const AGENT_RULES: ReplyRule[] = [
  { when: { hasToolResult: true }, text: 'Sunny in Paris, and here is why.' },
  { when: { lastUserText: 'Paris' }, reasoning: 'The user wants the weather.', toolUses: [{ name: 'weather', input: { city: 'Paris' } }] },
  { text: 'Ask me about a city.' },
];

describe('--reply <file>', () => {
  it('rules drive the AI SDK through a tool loop: the tool call, its result, the answer (generateText and streamText)', async () => {
    const cli = await startEmulatorCli(['--reply', replyFile('agent.json', AGENT_RULES), '--log', 'json']);
    running.push(cli);
    const model = wrapLanguageModel({ model: providerFrom(cli.env)(SONNET), middleware: bedrockCacheMiddleware() });
    const options = { model, system: LONG_SYSTEM, tools: weatherTools(), prompt: 'What is the weather in Paris?', stopWhen: stepCountIs(4) };
    const result = await generateText(options);
    expect(result.steps.map((step) => step.finishReason)).toEqual(['tool-calls', 'stop']);
    expect(result.steps[0]!.toolCalls).toEqual([expect.objectContaining({ toolName: 'weather', input: { city: 'Paris' } })]);
    expect(result.steps[0]!.reasoningText).toBe('The user wants the weather.');
    expect(result.steps[0]!.toolResults).toEqual([expect.objectContaining({ toolName: 'weather', output: expect.objectContaining({ city: 'Paris' }) })]);
    expect(result.text).toBe('Sunny in Paris, and here is why.');

    const streamed = streamText(options);
    expect(await streamed.text).toBe('Sunny in Paris, and here is why.');
    expect((await streamed.steps).map((step) => step.finishReason)).toEqual(['tool-calls', 'stop']);

    const other = await generateText({ ...options, prompt: 'Hello' });
    expect(other.text).toBe('Ask me about a city.');
    // each request logged once, as JSON Lines
    const lines = (await cli.waitFor('stderr', /(^\{.*\}\n){5}/m))[0].trim().split('\n');
    expect(lines.map((line) => JSON.parse(line).status)).toEqual([200, 200, 200, 200, 200]);
  });

  it('a plain list is consumed in order, then the default echo', async () => {
    const cli = await startEmulatorCli(['--reply', replyFile('list.json', [{ text: 'first' }, { text: 'second' }])]);
    running.push(cli);
    const model = providerFrom(cli.env)(SONNET);
    const texts = [];
    for (let i = 0; i < 3; i++) texts.push((await generateText({ model, prompt: 'Hello there' })).text);
    expect(texts).toEqual(['first', 'second', 'Emulated reply to: Hello there']);
  });

  it.each([
    ['missing.json', undefined, 'cannot read it (ENOENT)'],
    ['bad-json.json', '[{', 'Expected property name'],
    ['object.json', { text: 'hi' }, 'must be a JSON array'],
    ['empty-rule.json', [{ when: { index: 0 } }], '[0] needs text, toolUses or reasoning'],
    ['bad-tool.json', [{ toolUses: [{ name: 'weather', input: 'Paris' }] }], '[0].toolUses[0].input must be an object'],
    ['bad-when.json', [{ when: { model: 'x' }, text: 'hi' }], "[0].when has an unknown field 'model'"],
    ['bad-op.json', [{ when: { operation: 'Chat' }, text: 'hi' }], '[0].when.operation must be one of: Converse'],
  ])('%s: exit 2 naming the file and the fault', async (name, content, message) => {
    const file = content === undefined ? path.join(dir, name) : replyFile(name, content);
    const output = { out: '', err: '' };
    const code = await runCli(['emulator', '--reply', file, '--port', '0'], { out: (t) => void (output.out += t), err: (t) => void (output.err += t) });
    expect(code).toBe(2);
    expect(output.err).toContain(`--reply ${file}: `);
    expect(output.err).toContain(message);
  });
});

describe('reply rules (in process)', () => {
  const converse = (emulator: ReturnType<typeof createBedrockEmulator>, model: string, text: string) =>
    emulator
      .fetch(`http://emulator/model/${encodeURIComponent(model)}/converse`, {
        method: 'POST',
        body: JSON.stringify({ messages: [{ role: 'user', content: [{ text }] }] }),
      })
      .then((response) => response.json());

  it('the first matching rule answers: by model id substring, call index, operation; none matching: the echo', async () => {
    const rules = parseReplyRules([
      { when: { index: [2] }, text: 'third call' },
      { when: { modelId: 'nova' }, text: 'nova' },
      { when: { operation: 'Converse', lastUserText: 'bye' }, text: 'goodbye' },
    ]);
    const emulator = createBedrockEmulator({ reply: replyFromRules(rules) });
    const texts = [];
    for (const [model, text] of [['us.amazon.nova-pro-v1:0', 'hi'], [SONNET, 'bye'], [SONNET, 'bye'], [SONNET, 'hi']] as const) {
      texts.push((await converse(emulator, model, text)).output.message.content[0].text);
    }
    expect(texts).toEqual(['nova', 'goodbye', 'third call', 'Emulated reply to: hi']);
  });
});

describe('--log text is safe to print', () => {
  it('escapes control characters a client put in the model id', () => {
    const entry = { operation: 'Converse', modelId: 'evil\n2026-01-01T00:00:00.000Z Converse forged 200\u001b[2J\u202e', status: 400, bodyBytes: 2, time: 0, errorType: 'ValidationException', message: 'The provided model identifier is invalid.' } as const;
    const line = formatRequestLog(entry, 'text', new Date(0));
    expect(line.split('\n')).toHaveLength(2);
    expect(line).toContain('evil\\u000a2026-01-01T00:00:00.000Z Converse forged 200\\u001b[2J\\u202e');
    // eslint-disable-next-line no-control-regex -- no control character may be left
    expect(line).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202e]/);
    const json = formatRequestLog(entry, 'json', new Date(0));
    expect(json.split('\n')).toHaveLength(2);
    expect(JSON.parse(json).modelId).toBe(entry.modelId);
    expect(escapeControlCharacters('plain text: ok')).toBe('plain text: ok');
  });

  it('the command prints a %0A / %1B model id as one escaped line', async () => {
    const cli = await startEmulatorCli(['--log']);
    running.push(cli);
    const url = `${cli.env.AWS_ENDPOINT_URL_BEDROCK_RUNTIME}/model/x%0A2026-01-01T00:00:00.000Z%20Converse%20forged%20200%1B%5B2J/converse`;
    expect((await fetch(url, { method: 'POST', body: '{}' })).status).toBe(400);
    const [line] = await cli.waitFor('stderr', /^.*Converse x.*$/m);
    expect(line).toContain('x\\u000a2026-01-01T00:00:00.000Z Converse forged 200\\u001b[2J 400 ValidationException');
    expect(cli.stderr()).not.toContain('\u001b');
  });
});
