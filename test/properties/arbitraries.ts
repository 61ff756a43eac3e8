/**
 * Random calls for the property tests: provider-level prompts of every part type, tools,
 * model ids of every family and form, caller checkpoints, and middleware options.
 */
import type { LanguageModelV3CallOptions, LanguageModelV3Prompt } from '@ai-sdk/provider';
import fc from 'fast-check';
import type { BedrockCacheOptions } from '../../src';
import { prose } from '../support/fixtures';
import { providerChatModelIds, providerDocumentMediaTypes, providerImageMediaTypes } from '../support/provider-source';

export const APP_PROFILE_ARN = 'arn:aws:bedrock:us-east-1:123456789012:application-inference-profile/prop1';
/** What the application profile really runs, for the validator. */
export const APP_PROFILE_MODEL = 'anthropic.claude-haiku-4-5-20251001-v1:0';

/**
 * Every foundation model the installed provider lists (region prefixes stripped: the forms
 * are drawn below), so a provider update that adds a model is in the properties at once.
 */
const BASE_MODELS = [...new Set(providerChatModelIds().map((id) => id.replace(/^[a-z-]+\.(?=[a-z0-9-]+\.)/, '')))];
/** Claude and Nova text ids, drawn more often: most of the provider's list is other vendors. */
const CLAUDE_OR_NOVA = BASE_MODELS.filter((id) => id.startsWith('anthropic.claude') || (id.startsWith('amazon.nova-') && !/canvas|reel|sonic/.test(id)));
const OTHERS = BASE_MODELS.filter((id) => !CLAUDE_OR_NOVA.includes(id));

export interface ModelChoice {
  modelId: string;
  /** Converse (`bedrock()`) or InvokeModel (`/anthropic`, Claude only). */
  api: 'converse' | 'anthropic';
  modelFamily?: 'anthropic' | 'nova';
}

export const modelChoice: fc.Arbitrary<ModelChoice> = fc.oneof(
  { weight: 8, arbitrary: fc
    .record({
      base: fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...CLAUDE_OR_NOVA) }, { weight: 1, arbitrary: fc.constantFrom(...OTHERS) }),
      form: fc.constantFrom('plain', 'us.', 'eu.', 'apac.', 'global.', 'profile-arn', 'foundation-arn'),
      invoke: fc.boolean(),
    })
    .map(({ base, form, invoke }) => {
      const prefixed = form.endsWith('.') ? `${form}${base}` : base;
      const modelId =
        form === 'profile-arn'
          ? `arn:aws:bedrock:us-east-1:123456789012:inference-profile/us.${base}`
          : form === 'foundation-arn'
            ? `arn:aws:bedrock:us-east-1::foundation-model/${base}`
            : prefixed;
      return { modelId, api: invoke && base.startsWith('anthropic.') ? 'anthropic' : 'converse' } as ModelChoice;
    }) },
  {
    weight: 1,
    arbitrary: fc.record({
      modelId: fc.constant(APP_PROFILE_ARN),
      api: fc.constantFrom('converse' as const, 'anthropic' as const),
      modelFamily: fc.constantFrom(undefined, 'anthropic' as const),
    }),
  },
);

type Ttl = '5m' | '1h';
const ttlArb = fc.constantFrom<Ttl | undefined>(undefined, undefined, undefined, '5m', '1h');

/** A caller's checkpoint, under any key either API reads. */
const checkpointArb = fc
  .record({ ttl: ttlArb, key: fc.constantFrom('bedrock', 'amazonBedrock', 'both', 'anthropic') })
  .map(({ ttl, key }) => {
    const cachePoint = { type: 'default', ...(ttl && { ttl }) };
    const cacheControl = { type: 'ephemeral', ...(ttl && { ttl }) };
    if (key === 'anthropic') return { anthropic: { cacheControl } };
    if (key === 'both') return { bedrock: { cachePoint }, amazonBedrock: { cachePoint } };
    return { [key]: { cachePoint } };
  });

/** Provider options: usually none, now and then a caller's checkpoint (rarer on parts, which are many). */
const rarely = <T>(arbitrary: fc.Arbitrary<T>, oneIn: number) =>
  fc.oneof({ weight: oneIn - 1, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary });
const providerOptionsArb = rarely(checkpointArb, 12);
const partOptionsArb = rarely(checkpointArb, 60);

const textArb = fc.oneof(
  { weight: 6, arbitrary: fc.integer({ min: 1, max: 40 }).chain((n) => fc.nat(1000).map((seed) => prose(n, seed))) },
  { weight: 2, arbitrary: fc.integer({ min: 300, max: 2500 }).chain((n) => fc.nat(1000).map((seed) => prose(n, seed))) },
  { weight: 1, arbitrary: fc.constantFrom('日本語のテキスト。'.repeat(50), 'ok', 'Ünïcödé ✓ 🚀') },
);

const PNG = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 1, 2, 3, 4]);
const PDF = new TextEncoder().encode('%PDF-1.4 tiny');
const TEXT_DOCUMENT = new TextEncoder().encode('a,b\n1,2\n');

const userPartArb = fc.oneof(
  { weight: 6, arbitrary: fc.record({ text: textArb, providerOptions: partOptionsArb }).map((p) => ({ type: 'text' as const, ...p })) },
  { weight: 1, arbitrary: fc.record({ providerOptions: partOptionsArb, mediaType: fc.constantFrom(...providerImageMediaTypes()) }).map((p) => ({ type: 'file' as const, data: PNG, ...p })) },
  { weight: 1, arbitrary: fc.record({ providerOptions: partOptionsArb }).map((p) => ({ type: 'file' as const, mediaType: 'application/pdf', data: PDF, filename: 'doc.pdf', ...p })) },
  // every other document type the provider converts (csv, txt, md, html, doc(x), xls(x)): text-extracted
  {
    weight: 1,
    arbitrary: fc
      .record({ providerOptions: partOptionsArb, mediaType: fc.constantFrom(...Object.keys(providerDocumentMediaTypes()).filter((t) => t !== 'application/pdf')) })
      .map((p) => ({ type: 'file' as const, data: TEXT_DOCUMENT, filename: 'data.file', ...p })),
  },
);

const reasoningArb = fc.record({ text: textArb, signed: fc.boolean(), redacted: fc.boolean() }).map(({ text, signed, redacted }) => ({
  type: 'reasoning' as const,
  text: redacted ? '' : text,
  ...(signed && {
    providerOptions: redacted ? { bedrock: { redactedData: 'cmVkYWN0ZWQ=' } } : { bedrock: { signature: 'sig-abc' }, anthropic: { signature: 'sig-abc' } },
  }),
}));

const TOOL_NAMES = ['lookup', 'weather', 'search', 'calculate'];

/** Builds a valid conversation from random turns. */
const turnArb = fc.oneof(
  fc.record({
    kind: fc.constant('chat' as const),
    user: fc.array(userPartArb, { minLength: 1, maxLength: 3 }),
    userOptions: providerOptionsArb,
    reasoning: rarely(reasoningArb, 3),
    answer: textArb,
    answerOptions: providerOptionsArb,
  }),
  fc.record({
    kind: fc.constant('tools' as const),
    user: fc.array(userPartArb, { minLength: 1, maxLength: 2 }),
    userOptions: providerOptionsArb,
    reasoning: rarely(reasoningArb, 3),
    preamble: rarely(textArb, 2),
    calls: fc.array(
      fc.record({
        tool: fc.constantFrom(...TOOL_NAMES),
        result: fc.oneof(
          textArb.map((value) => ({ type: 'text' as const, value })),
          textArb.map((value) => ({ type: 'json' as const, value: { value } })),
          textArb.map((text) => ({ type: 'content' as const, value: [{ type: 'text' as const, text }] })),
        ),
        resultOptions: partOptionsArb,
      }),
      { minLength: 1, maxLength: 12 },
    ),
    steps: fc.integer({ min: 1, max: 3 }),
    toolMessageOptions: providerOptionsArb,
  }),
);

let callCounter = 0;

function buildPrompt(
  system: Array<{ text: string; providerOptions?: Record<string, any> }>,
  turns: any[],
  ending: 'user' | 'tool-loop' | 'prefill',
  lastUser: { parts: any[]; providerOptions?: Record<string, any> },
): LanguageModelV3Prompt {
  const prompt: any[] = system.map((s) => ({ role: 'system', content: s.text, ...(s.providerOptions && { providerOptions: s.providerOptions }) }));
  for (const turn of turns) {
    prompt.push({ role: 'user', content: turn.user, ...(turn.userOptions && { providerOptions: turn.userOptions }) });
    if (turn.kind === 'chat') {
      prompt.push({
        role: 'assistant',
        content: [...(turn.reasoning ? [turn.reasoning] : []), { type: 'text', text: turn.answer }],
        ...(turn.answerOptions && { providerOptions: turn.answerOptions }),
      });
      continue;
    }
    for (let step = 0; step < turn.steps; step++) {
      const ids = turn.calls.map(() => `call_${++callCounter}`);
      prompt.push({
        role: 'assistant',
        content: [
          ...(step === 0 && turn.reasoning ? [turn.reasoning] : []),
          ...(step === 0 && turn.preamble ? [{ type: 'text', text: turn.preamble }] : []),
          ...turn.calls.map((c: any, i: number) => ({ type: 'tool-call', toolCallId: ids[i], toolName: c.tool, input: { q: i } })),
        ],
      });
      prompt.push({
        role: 'tool',
        content: turn.calls.map((c: any, i: number) => ({
          type: 'tool-result',
          toolCallId: ids[i],
          toolName: c.tool,
          output: c.result,
          ...(c.resultOptions && { providerOptions: c.resultOptions }),
        })),
        ...(turn.toolMessageOptions && { providerOptions: turn.toolMessageOptions }),
      });
    }
    prompt.push({ role: 'assistant', content: [{ type: 'text', text: 'Done with the tools.' }] });
  }
  if (ending === 'tool-loop' && prompt.at(-1)?.role === 'assistant' && turns.at(-1)?.kind === 'tools') {
    prompt.pop(); // the loop is still running: the request ends with tool results
    return prompt;
  }
  prompt.push({ role: 'user', content: lastUser.parts, ...(lastUser.providerOptions && { providerOptions: lastUser.providerOptions }) });
  if (ending === 'prefill') prompt.push({ role: 'assistant', content: [{ type: 'text', text: 'Sure,' }] });
  return prompt;
}

const plainTool = (name: string) => ({
  type: 'function' as const,
  name,
  description: `The ${name} tool.`,
  inputSchema: { type: 'object' as const, properties: { q: { type: 'number' as const } } },
});

const toolArb = fc
  .record({ name: fc.constantFrom(...TOOL_NAMES), description: textArb, providerOptions: providerOptionsArb })
  .map(({ name, description, providerOptions }) => ({
    type: 'function' as const,
    name,
    description,
    inputSchema: { type: 'object' as const, properties: { q: { type: 'number' as const } } },
    ...(providerOptions && { providerOptions }),
  }));

export const callArb: fc.Arbitrary<LanguageModelV3CallOptions> = fc
  .record({
    system: fc.array(fc.record({ text: textArb, providerOptions: providerOptionsArb }), { maxLength: 2 }),
    turns: fc.array(turnArb, { maxLength: 5 }),
    ending: fc.constantFrom('user' as const, 'user' as const, 'tool-loop' as const, 'prefill' as const),
    lastUser: fc.record({ parts: fc.array(userPartArb, { minLength: 1, maxLength: 3 }), providerOptions: providerOptionsArb }),
    tools: fc.uniqueArray(toolArb, { selector: (t) => t.name, maxLength: 4 }),
    withTools: fc.boolean(),
  })
  .map(({ system, turns, ending, lastUser, tools, withTools }) => {
    const usesTools = turns.some((t) => t.kind === 'tools');
    // A call that replays tool turns declares every tool they use, or none (then the
    // provider drops the tool turns).
    const declared = !withTools ? [] : usesTools ? TOOL_NAMES.map((name) => tools.find((t) => t.name === name) ?? plainTool(name)) : tools;
    return {
      prompt: buildPrompt(system, turns, ending, lastUser),
      ...(declared.length > 0 && { tools: declared }),
    } as LanguageModelV3CallOptions;
  });

export const optionsArb: fc.Arbitrary<BedrockCacheOptions> = fc.record(
  {
    ttl: fc.oneof(
      fc.constantFrom<Ttl>('5m', '1h'),
      fc.constantFrom(
        { tools: '1h', system: '1h', messages: '5m' } as const,
        { system: '1h' } as const,
        { messages: '1h' } as const,
        { tools: '1h' } as const,
      ),
    ),
    minMessagesToCache: fc.integer({ min: 0, max: 4 }),
    cache: fc.record({ tools: fc.boolean(), system: fc.boolean(), messages: fc.boolean() }, { requiredKeys: [] }),
    unsupportedModelBehavior: fc.constantFrom('ignore' as const, 'warn' as const),
  },
  { requiredKeys: [] },
);
