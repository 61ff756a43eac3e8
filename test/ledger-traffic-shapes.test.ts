/**
 * The ledger on ordinary traffic, end to end through the real `ai` + provider and the emulator
 * (its clock injected into both): the shapes that broke the first-message ledger (issue 18,
 * shared doc §9 "Traffic shapes any ledger must get right"). No false miss, no false warning,
 * writes that repay themselves, keyed hashes, one getNodes and one setNodes per call.
 */
import { generateText, jsonSchema, tool, wrapLanguageModel, type ModelMessage } from 'ai';
import { describe, expect, it } from 'vitest';
import { bedrockCacheMiddleware, memoryLedgerStore, type BedrockCacheOptions, type BedrockCacheReport, type LedgerStore } from '../src';
import { HAIKU, LONG_SYSTEM, prose, SONNET, weatherTools } from './support/fixtures';
import { cachePointsOf } from './support/mock-bedrock';
import { useEmulatedBedrock } from './support/emulator-bedrock';

const bedrock = useEmulatedBedrock();
const MINUTE = 60_000;

function setup(options: BedrockCacheOptions = {}, modelId = SONNET) {
  const reports: BedrockCacheReport[] = [];
  const warnings: string[] = [];
  const model = wrapLanguageModel({
    model: bedrock.bedrock(modelId),
    middleware: bedrockCacheMiddleware({ now: bedrock.now, onCacheUsage: (r) => reports.push(r), ...options }),
  });
  const ask = async (args: Omit<Parameters<typeof generateText>[0], 'model'>) => {
    const result = await generateText({ model, ...args } as Parameters<typeof generateText>[0]);
    warnings.push(...(result.warnings ?? []).map((w) => ('message' in w ? String(w.message) : JSON.stringify(w))));
    return result;
  };
  const cost = () => reports.reduce((sum, r) => sum + (r.costUsd ?? 0), 0);
  return { model, reports, warnings, ask, cost, misses: () => reports.map((r) => r.cacheMiss?.reason) };
}

const body = (i: number) => bedrock.emulator.requests[i]!.body as Record<string, any>;
const questions = ['What is the refund policy?', 'How long does shipping take?', 'Can I change my order?', 'Do you ship abroad?', 'Where is my parcel?', 'How do I cancel?'];

describe('one-shot questions behind one system prompt', () => {
  it('in sequence: every later call reads the system prompt, no miss, no warning', async () => {
    const { ask, reports, misses, warnings } = setup();
    for (const prompt of questions) await ask({ system: LONG_SYSTEM, prompt });
    expect(misses()).toEqual(questions.map(() => undefined));
    expect(warnings).toEqual([]);
    expect(reports.slice(1).every((r) => r.cacheReadInputTokens > 3000)).toBe(true);
  });

  it('as a Promise.all fan-out: no miss, no warning', async () => {
    const { ask, reports, misses, warnings } = setup();
    await Promise.all(questions.map((prompt) => ask({ system: LONG_SYSTEM, prompt })));
    expect(misses()).toEqual(questions.map(() => undefined));
    expect(warnings).toEqual([]);
    expect(reports.filter((r) => r.cacheReadInputTokens > 3000)).toHaveLength(questions.length - 1);
  });

  it('distinct documents, extraction: after three never continued, the last message is not written (the system prompt still is); a conversation that continues gets it back at once', async () => {
    const { ask, reports, misses } = setup();
    const documents = Array.from({ length: 7 }, (_, i) => `Extract the parties from this contract.\n${prose(1500, 40 + i)}`);
    for (const document of documents) await ask({ system: LONG_SYSTEM, prompt: document });
    const marks = (i: number) => cachePointsOf(body(i)).map((p) => p.at.split('[')[0]);
    expect(marks(0)).toEqual(['system', 'messages']);
    expect(marks(2)).toEqual(['system', 'messages']);
    for (let i = 3; i < documents.length; i++) expect(marks(i)).toEqual(['system']);
    expect(misses()).toEqual(documents.map(() => undefined));
    expect(reports.slice(3).every((r) => r.cacheWriteInputTokens === 0 && r.cacheReadInputTokens > 3000)).toBe(true);
    // the user asks a follow-up on the last document: the conversation is marked again
    const first = await ask({ system: LONG_SYSTEM, prompt: documents.at(-1)! });
    await ask({ system: LONG_SYSTEM, messages: [{ role: 'user', content: documents.at(-1)! }, ...first.response.messages, { role: 'user', content: 'And the dates?' }] });
    expect(marks(bedrock.emulator.requests.length - 1)).toContain('messages');
  });
});

describe('tenants with different system prompts whose users all say "Hello"', () => {
  const tenantA = `You are the assistant of Acme Corp. ${prose(3000, 11)}`;
  const tenantB = `You help the customers of Globex. ${prose(3000, 12)}`;
  const run = async (options: BedrockCacheOptions) => {
    const shape = setup(options);
    for (let i = 0; i < 8; i++) {
      bedrock.advance(30_000);
      await shape.ask({ system: i % 2 === 0 ? tenantA : tenantB, prompt: 'Hello' });
    }
    return shape;
  };

  it('calls 3–8 read, at the cost of ledger: false, with no miss and no warning', async () => {
    const ours = await run({});
    bedrock.emulator.reset();
    const without = await run({ ledger: false });
    expect(ours.reports.slice(2).every((r) => r.cacheReadInputTokens > 3000)).toBe(true);
    expect(ours.misses()).toEqual(Array(8).fill(undefined));
    expect(ours.warnings).toEqual([]);
    expect(ours.cost()).toBeLessThanOrEqual(without.cost() * 1.01);
  });
});

describe('a timestamp in the system prompt', () => {
  const withTime = () => `${LONG_SYSTEM} Current time: ${new Date(bedrock.now()).toISOString()}.`;

  it('the same question each time: no false miss, the change inside the system prompt in every report and once as a warning, no write from the fourth call', async () => {
    const { ask, reports, warnings } = setup();
    for (let i = 0; i < 5; i++) {
      bedrock.advance(MINUTE);
      await ask({ system: withTime(), prompt: 'Summarise my open tickets.' });
    }
    expect(reports.map((r) => r.cacheMiss)).toEqual(Array(5).fill(undefined));
    expect(reports[0]!.blockChange).toBeUndefined();
    for (const report of reports.slice(1)) {
      expect(report.blockChange).toMatchObject({ section: 'system', repeatedEnd: 0, kind: 'date-like' });
      expect(report.blockChange!.repeatedStart).toBeGreaterThan(LONG_SYSTEM.length - 64);
      expect(report.blockChange!.changedChars).toBeLessThan(100);
    }
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/the system prompt's first [\d,]+ of [\d,]+ characters repeat across calls; the last \d+ change on every call \(date-like\): move them to the last message/);
    expect(JSON.stringify(reports)).not.toContain('Current time');
    for (let i = 3; i < 5; i++) expect(cachePointsOf(body(i))).toEqual([]);
  });

  it('one ticket per conversation: the pattern is seen across conversations', async () => {
    const { ask, warnings } = setup();
    for (let ticket = 0; ticket < 4; ticket++) {
      const system = withTime();
      const first = await ask({ system, prompt: `Ticket ${ticket}: my order is late.` });
      bedrock.advance(MINUTE);
      await ask({ system, messages: [{ role: 'user', content: `Ticket ${ticket}: my order is late.` }, ...first.response.messages, { role: 'user', content: 'Thanks.' }] });
      bedrock.advance(10 * MINUTE);
    }
    expect(warnings.filter((w) => w.includes('change on every call'))).toHaveLength(1);
  });
});

describe('a date inside a tool description', () => {
  it("is found like the system prompt's: the report says which tool and where, one warning", async () => {
    const { ask, reports, warnings } = setup();
    const lookup = (date: string) => ({
      lookup: tool({
        description: `Looks up orders. ${prose(400, 9)} Orders placed after ${date} are not shipped yet.`,
        inputSchema: jsonSchema<{ id: string }>({ type: 'object', properties: { id: { type: 'string' } }, required: ['id'] }),
      }),
    });
    for (let day = 1; day <= 4; day++) await ask({ system: LONG_SYSTEM, tools: { ...weatherTools(), ...lookup(`2026-12-0${day}`) }, prompt: `Order ${day}?` });
    expect(reports[1]!.blockChange).toMatchObject({ section: 'tools', tool: 2, kind: 'date-like' });
    expect(warnings.filter((w) => w.includes("tool 2's description"))).toHaveLength(1);
  });
});

describe('below the model minimum', () => {
  it('Haiku 4.5 with a ~3,600-token prompt: no miss (nothing could be cached), never a claim to write, and a warning with the count and the minimum', async () => {
    const { ask, reports, warnings } = setup({}, HAIKU);
    const system = `You are a support agent. ${prose(3550, 5)}`;
    for (let i = 0; i < 3; i++) await ask({ system, prompt: 'Hi' });
    for (const report of reports) {
      expect(report.cacheWriteInputTokens).toBe(0);
      expect(report.cacheMiss).toBeUndefined();
    }
    expect(warnings).toHaveLength(1);
    const [, tokens] = /about ([\d,]+) tokens up to its last checkpoint, below this model's minimum of 4,096/.exec(warnings[0]!) ?? [];
    expect(Number(tokens!.replace(/,/g, ''))).toBeGreaterThan(3000);
    expect(Number(tokens!.replace(/,/g, ''))).toBeLessThan(4096);
  });
});

describe('a conversation that adds tools', () => {
  it('no miss (tools come first: nothing cacheable is shared), no word of the system prompt, no warning; the next turn reads again', async () => {
    const { ask, reports, warnings } = setup();
    const messages: ModelMessage[] = [{ role: 'user', content: 'Hi' }];
    const first = await ask({ system: LONG_SYSTEM, messages });
    messages.push(...first.response.messages, { role: 'user', content: 'What is the weather in Paris?' });
    const second = await ask({ system: LONG_SYSTEM, tools: weatherTools(), messages });
    messages.push(...second.response.messages, { role: 'user', content: 'And in Lyon?' });
    await ask({ system: LONG_SYSTEM, tools: weatherTools(), messages });
    expect(reports.map((r) => r.cacheMiss)).toEqual([undefined, undefined, undefined]);
    expect(reports[2]!.cacheReadInputTokens).toBeGreaterThan(3000);
    expect(warnings).toEqual([]);
  });
});

describe("ttl: 'auto' across conversations", () => {
  it('an app whose users pause ten minutes: a new conversation gets 1h from its first write', async () => {
    const { ask, reports } = setup();
    const chat = async (name: string) => {
      const messages: ModelMessage[] = [{ role: 'user', content: `${name}: hello` }];
      for (let turn = 0; turn < 3; turn++) {
        const result = await ask({ system: LONG_SYSTEM, messages });
        messages.push(...result.response.messages, { role: 'user', content: `${name}: turn ${turn + 2}` });
        bedrock.advance(10 * MINUTE);
      }
    };
    await chat('first');
    await chat('second');
    const before = reports.length;
    await ask({ system: LONG_SYSTEM, prompt: 'third: hello' });
    expect(reports[0]!.autoTtl!.ttl.messages).toBe('5m'); // nothing seen yet
    expect(reports[before]!.autoTtl).toMatchObject({ ttl: { messages: '1h' } });
    expect(reports[before]!.autoTtl!.why).toContain('reuses came after 5–60 min');
  });
});

describe('keyed hashes and round trips', () => {
  /** A memory store that records what crosses the C1 interface. */
  function recording(secret: string) {
    const inner = memoryLedgerStore({ now: bedrock.now, secret });
    const calls = { get: 0, set: 0 };
    const written: Array<{ key: string; node: unknown }> = [];
    const store: LedgerStore = {
      secret,
      getNodes: (keys) => {
        calls.get++;
        return inner.getNodes(keys);
      },
      setNodes: (entries) => {
        calls.set++;
        written.push(...entries.map(({ key, node }) => ({ key, node })));
        return inner.setNodes(entries);
      },
    };
    return { store, calls, written, inner };
  }

  it('one getNodes and one setNodes per call; keys are printable hex; nothing stored or reported holds prompt text; another secret gives other keys', async () => {
    const secretText = 'My card PIN is 4821, please block the card';
    const a = recording('first secret, at least sixteen characters');
    const first = setup({ ledger: { store: a.store } });
    const messages: ModelMessage[] = [{ role: 'user', content: secretText }];
    for (let turn = 0; turn < 3; turn++) {
      const result = await first.ask({ system: LONG_SYSTEM, messages });
      messages.push(...result.response.messages, { role: 'user', content: `And ${turn}?` });
    }
    expect(a.calls).toEqual({ get: 3, set: 3 });
    for (const { key } of a.written) expect(key).toMatch(/^[nac]:[0-9a-f]{16}$/);
    expect(JSON.stringify(a.written)).not.toMatch(/PIN|4821|support agent/);
    expect(JSON.stringify(first.reports)).not.toMatch(/PIN|4821/);

    const b = recording('another secret, at least sixteen characters');
    const second = setup({ ledger: { store: b.store } });
    await second.ask({ system: LONG_SYSTEM, messages: [{ role: 'user', content: secretText }] });
    const keysA = new Set(a.written.map((w) => w.key));
    expect(b.written.some((w) => keysA.has(w.key))).toBe(false);
    // about 1 KB of tree per call here (the store's own byte count)
    expect(a.inner.bytes / 3).toBeLessThan(4096);
  });

  it('a long conversation: the tree is read over its last 64 messages, the report still has every boundary, no miss', async () => {
    const { ask, reports } = setup();
    const messages: ModelMessage[] = [];
    for (let turn = 0; turn < 40; turn++) {
      messages.push({ role: 'user', content: `Turn ${turn}: ${prose(15, turn)}` });
      const result = await ask({ system: LONG_SYSTEM, messages });
      messages.push(...result.response.messages);
    }
    expect(reports.map((r) => r.cacheMiss)).toEqual(Array(40).fill(undefined));
    expect(reports.slice(1).every((r) => r.cacheReadInputTokens > 3000)).toBe(true);
    const last = reports.at(-1)!;
    expect(last.prefix!.nodes).toHaveLength(1 + 79); // the system prompt and every message
    // Bedrock's count up to the last message (a few hidden tokens may follow it in the total)
    expect(last.prefix!.tokens.at(-1)! / last.totalInputTokens).toBeCloseTo(1, 2);
  });

  it("the report carries the prefix path (C4): node ids and cumulative tokens, the last Bedrock's total", async () => {
    const { ask, reports } = setup();
    const first = await ask({ system: LONG_SYSTEM, tools: weatherTools(), prompt: 'Hi' });
    await ask({ system: LONG_SYSTEM, tools: weatherTools(), messages: [{ role: 'user', content: 'Hi' }, ...first.response.messages, { role: 'user', content: 'More' }] });
    for (const report of reports) {
      const { nodes, tokens } = report.prefix!;
      expect(nodes.length).toBe(tokens.length);
      for (const id of nodes) expect(id).toMatch(/^[0-9a-f]{16}$/);
      expect([...tokens].sort((x, y) => x - y)).toEqual(tokens);
      expect(tokens.at(-1)! / report.totalInputTokens).toBeCloseTo(1, 2);
    }
    // the second call's path starts with the first call's
    expect(reports[1]!.prefix!.nodes.slice(0, 2)).toEqual(reports[0]!.prefix!.nodes.slice(0, 2));
  });
});
