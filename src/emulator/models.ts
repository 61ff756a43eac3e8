import { claudeGeneration } from './tokenizer.js';
import type { EmulatorModelOverride, EmulatorModelSpec } from './types.js';

/*
 * Which model ids the emulated Bedrock knows, and how each caches. Bedrock's catalogue is
 * organised by vendor and family, and every new Claude or Nova release caches the way its
 * family does, so the emulator detects the family (shared doc §3: "exact-prefix tables go
 * stale with each release: detect the family, keep exact rows where known") and keeps exact
 * rows only where the doc gives figures.
 */

const CLAUDE: Pick<EmulatorModelSpec, 'family' | 'caching' | 'toolCheckpoints' | 'lookbackBlocks'> = {
  family: 'claude',
  caching: true,
  toolCheckpoints: true,
  // shared doc §1: Claude "simplified cache management" checks ~20 earlier block boundaries.
  lookbackBlocks: 20,
};
/** Extended (1h) TTL accepted. */
const CLAUDE_5M_1H = { ...CLAUDE, ttls: ['5m', '1h'] as const };
/** No extended TTL: a 1h checkpoint is rejected with "Extra inputs are not permitted" (shared doc §1 2026-12). */
const CLAUDE_5M = { ...CLAUDE, ttls: ['5m'] as const };

/**
 * Nova text models (shared doc §3): 5m only, no checkpoint in `toolConfig.tools`, at most ~20K
 * cached tokens. Emulator choices (documented, not verified against AWS):
 *  - no lookback: a Nova checkpoint only hits an entry written at exactly the same prefix;
 *  - `maxCachedTokens`: a checkpoint whose cumulative prefix exceeds 20,000 tokens caches
 *    nothing (neither reads nor writes); earlier checkpoints still work;
 *  - the minimum is 1,000 tokens (the table's value; samples say 1,536 for micro/lite).
 */
const NOVA: EmulatorModelSpec = {
  family: 'nova',
  caching: true,
  minTokens: 1000,
  ttls: ['5m'],
  toolCheckpoints: false,
  lookbackBlocks: 0,
  maxCachedTokens: 20_000,
};

/** A model Bedrock answers but that never caches: any checkpoint is "unsupported model" (shared doc §1). */
const NO_CACHING: Omit<EmulatorModelSpec, 'family'> = {
  caching: false,
  minTokens: 0,
  ttls: [],
  toolCheckpoints: false,
  lookbackBlocks: 0,
};

/** A non-Claude model Bedrock answers without caching (and the figures of an id it doesn't know, for `resolveModelSpec`). */
const OTHER_NO_CACHING: EmulatorModelSpec = { ...NO_CACHING, family: 'other' };

/**
 * The rows with published figures (shared doc §3), keyed by model id without region prefix.
 * Where the doc lists two values, the first (the AWS table's) is used. TTL evidence per row:
 *  - 4.5 family: 1h GA on Bedrock (AWS What's New 2026-01-26, doc §3).
 *  - 4.6 family: 1h measured (opencode #23108) and in AWS's agent toolkit (doc §3). Contested:
 *    archestra-ai/archestra #5696 says Bedrock rejects 1h on 4.6; the emulator follows the
 *    measurement.
 *  - Opus 4.8: 1h measured live (BerriAI/litellm #30454).
 *  - Opus 4.7, Sonnet 5 / 5.5, Opus 5 / 5.5, Fable 5 / 5.1: contested (no direct evidence
 *    either way, doc §3). The emulator's reading: accepted, as on every Claude since 4.5
 *    (LiteLLM keeps `ttl` for Opus 4.7, litellm #31359; Anthropic's own API has 1h on all of
 *    them). Override with `models: { id: { ttls: ['5m'] } }` to test the other reading.
 *  - Sonnet 4, Opus 4, Opus 4.1, 3.x: no extended TTL (not in AWS's 1h lists; rejected live,
 *    earendil-works/pi #1570, openclaw/openclaw #47121).
 */
export const BEDROCK_MODEL_TABLE: Readonly<Record<string, EmulatorModelSpec>> = {
  'anthropic.claude-opus-4-5-20251101-v1:0': { ...CLAUDE_5M_1H, minTokens: 4096 },
  'anthropic.claude-opus-4-6-v1': { ...CLAUDE_5M_1H, minTokens: 4096 },
  'anthropic.claude-opus-4-7': { ...CLAUDE_5M_1H, minTokens: 4096 },
  'anthropic.claude-haiku-4-5-20251001-v1:0': { ...CLAUDE_5M_1H, minTokens: 4096 },
  'anthropic.claude-sonnet-4-5-20250929-v1:0': { ...CLAUDE_5M_1H, minTokens: 1024 },
  // doc §3: AWS's id, and the provider's `-v1` id; "accept both".
  'anthropic.claude-sonnet-4-6': { ...CLAUDE_5M_1H, minTokens: 1024 },
  'anthropic.claude-sonnet-4-6-v1': { ...CLAUDE_5M_1H, minTokens: 1024 },
  // doc §3: 1,024, 5m only.
  'anthropic.claude-sonnet-4-20250514-v1:0': { ...CLAUDE_5M, minTokens: 1024 },
  'anthropic.claude-opus-4-20250514-v1:0': { ...CLAUDE_5M, minTokens: 1024 },
  'anthropic.claude-opus-4-1-20250805-v1:0': { ...CLAUDE_5M, minTokens: 1024 },
  // doc §3 (2026-12): 1,024 (LiteLLM's Bedrock table, 2026-10).
  'anthropic.claude-opus-4-8': { ...CLAUDE_5M_1H, minTokens: 1024 },
  'anthropic.claude-sonnet-5': { ...CLAUDE_5M_1H, minTokens: 1024 },
  'anthropic.claude-sonnet-5-5': { ...CLAUDE_5M_1H, minTokens: 1024 },
  // doc §3 (2026-12): 512 for Opus 5 and Fable 5; Opus 5.5 not published, "use 512".
  'anthropic.claude-opus-5': { ...CLAUDE_5M_1H, minTokens: 512 },
  'anthropic.claude-opus-5-5': { ...CLAUDE_5M_1H, minTokens: 512 },
  'anthropic.claude-fable-5': { ...CLAUDE_5M_1H, minTokens: 512 },
  'anthropic.claude-fable-5-1': { ...CLAUDE_5M_1H, minTokens: 512 },
  'anthropic.claude-3-7-sonnet-20250219-v1:0': { ...CLAUDE_5M, minTokens: 1024 },
  'anthropic.claude-3-5-haiku-20241022-v1:0': { ...CLAUDE_5M, minTokens: 2048 },
  'anthropic.claude-3-5-sonnet-20241022-v2:0': { ...CLAUDE_5M, minTokens: 1024 },
  'amazon.nova-micro-v1:0': NOVA,
  'amazon.nova-lite-v1:0': NOVA,
  'amazon.nova-pro-v1:0': NOVA,
  'amazon.nova-premier-v1:0': NOVA,
  // Contested (doc §3): a message checkpoint was rejected sporadically (zeroclaw-labs/zeroclaw
  // #8720); a live probe saw writes. The emulator's default follows the doc ("cache it");
  // `models: { 'amazon.nova-2-lite-v1:0': { messageCheckpoints: 'reject' } }` gives the other.
  'amazon.nova-2-lite-v1:0': NOVA,
};

/**
 * Claude models that don't cache on Bedrock (shared doc §3): Claude 2.x, Instant, Claude 3
 * Haiku / Sonnet / Opus, Claude 3.5 Sonnet v1. Every other Claude id caches.
 */
const CLAUDE_WITHOUT_CACHING = [
  /^anthropic\.claude-v2(?::\d+)?$/,
  /^anthropic\.claude-instant-/,
  /^anthropic\.claude-3-(?:haiku|sonnet|opus)-/,
  /^anthropic\.claude-3-5-sonnet-20240620/,
];

/**
 * Nova models that aren't text models (image, video, speech, embeddings): answered, never
 * cached. Shared doc §3 lists prompt caching for the Nova text models only; that a checkpoint
 * on these gets "unsupported model" rather than another error is a guess.
 */
const NOVA_NOT_TEXT = /^amazon\.nova-(?:\d+-)?(?:canvas|reel|sonic|.*embed)/;

/**
 * Vendor prefixes of Bedrock model ids (the provider's model list in
 * @ai-sdk/amazon-bedrock/src/bedrock-chat-options.ts: amazon, anthropic, cohere, meta,
 * mistral, openai, deepseek; plus Bedrock's other model providers as recorded in Pydantic AI's
 * Bedrock cassettes and AWS's model list: ai21, google, luma, minimax, moonshot(ai), nvidia,
 * qwen, stability, twelvelabs, writer, zai). Bedrock answers their models without caching.
 */
const KNOWN_VENDORS = [
  'ai21',
  'amazon',
  'anthropic',
  'cohere',
  'deepseek',
  'google',
  'luma',
  'meta',
  'minimax',
  'mistral',
  'moonshot',
  'moonshotai',
  'nvidia',
  'openai',
  'qwen',
  'stability',
  'twelvelabs',
  'writer',
  'zai',
];

/** `vendor.model`: lower-case letters, digits, `-`, `.`, `:` (the shape of every id in Bedrock's catalogue). */
const MODEL_ID_SHAPE = /^([a-z0-9]+)\.[a-z0-9][a-z0-9.:-]*$/;

/** Cross-region inference-profile prefixes (shared doc §3). */
const REGION_PREFIX = /^(?:us-gov|us|eu|apac|jp|au|ca|global)\./;

/** `arn:aws:bedrock:REGION:ACCOUNT:(inference-profile|foundation-model)/ID` → ID. */
const RESOLVABLE_ARN = /^arn:aws[a-z-]*:bedrock:[^:]*:[^:]*:(?:inference-profile|foundation-model)\/(.+)$/;

/**
 * Other Bedrock resource ARNs a model id may be (application inference profiles, provisioned
 * throughput, custom and imported models, prompt routers): they carry no model id (shared doc
 * §3), so the emulator answers them without caching unless `models` aliases them.
 */
const OPAQUE_ARN =
  /^arn:aws[a-z-]*:bedrock:[a-z0-9-]+:\d{12}:(?:application-inference-profile|provisioned-model|custom-model|imported-model|custom-model-deployment|default-prompt-router|prompt-router)\/[A-Za-z0-9._:/-]+$/;

/**
 * Reduces a model id to its table key: unwraps system inference-profile and
 * foundation-model ARNs and strips a cross-region prefix. Application inference-profile ARNs
 * (and other ARNs) are returned unchanged: they don't contain the model id (shared doc §3).
 */
export function toBaseModelId(modelId: string): string {
  return unwrapModelArn(modelId).replace(REGION_PREFIX, '');
}

/** Whether an id names an inference profile (a cross-region prefix, or a system / application profile ARN) rather than a model. */
export function isInferenceProfileId(modelId: string): boolean {
  return REGION_PREFIX.test(unwrapModelArn(modelId)) || /:(?:application-)?inference-profile\//.test(modelId);
}

/** The model or inference-profile id inside a system inference-profile / foundation-model ARN; other ids unchanged. */
export function unwrapModelArn(modelId: string): string {
  return RESOLVABLE_ARN.exec(modelId)?.[1] ?? modelId;
}

/**
 * Figures for a Claude id without a row (a release newer than the table): the family's
 * defaults for its generation (`claudeGeneration`, the parse the hidden tokens use).
 * Generation 5 and later: 512 tokens (doc §3: Opus 5, Fable 5, Anthropic's Mythos 5); 4.5 and
 * later: 1h TTL (every such row has it, above). Earlier or unreadable: 1,024 and 5m. A guess
 * by construction: override with `models` for a model whose figures are known.
 */
function inferClaude(baseId: string): EmulatorModelSpec {
  const generation = claudeGeneration(baseId) ?? 0;
  return { ...(generation >= 4.5 ? CLAUDE_5M_1H : CLAUDE_5M), minTokens: generation >= 5 ? 512 : 1024, inferred: true };
}

/** The built-in spec of a base id, or `undefined` if Bedrock doesn't know it. */
function builtInSpec(baseId: string): EmulatorModelSpec | undefined {
  const row = BEDROCK_MODEL_TABLE[baseId];
  if (row) return row;
  if (baseId.startsWith('anthropic.claude')) {
    if (CLAUDE_WITHOUT_CACHING.some((pattern) => pattern.test(baseId))) return { ...NO_CACHING, family: 'claude' };
    return MODEL_ID_SHAPE.test(baseId) ? inferClaude(baseId) : undefined;
  }
  if (baseId.startsWith('amazon.nova-') && MODEL_ID_SHAPE.test(baseId)) {
    return NOVA_NOT_TEXT.test(baseId) ? OTHER_NO_CACHING : { ...NOVA, inferred: true };
  }
  const vendor = MODEL_ID_SHAPE.exec(baseId)?.[1];
  // An `anthropic.` id that isn't a Claude is not in Bedrock's catalogue.
  if (vendor !== undefined && vendor !== 'anthropic' && KNOWN_VENDORS.includes(vendor)) return OTHER_NO_CACHING;
  if (OPAQUE_ARN.test(baseId)) return OTHER_NO_CACHING;
  return undefined;
}

/**
 * Finds the caching spec of a model id: `overrides` first (by the id as given, then by its
 * base id), then the built-in rows and family detection. A string override is an alias to
 * another id. Returns `undefined` for an id Bedrock doesn't know (an unknown vendor, garbage,
 * a path): Bedrock answers those with "The provided model identifier is invalid." (shared doc
 * §1 2026-12). A partial override of an unknown id is completed with the no-caching defaults.
 */
export function lookupModelSpec(
  modelId: string,
  overrides: Record<string, EmulatorModelOverride> = {},
  depth = 0,
): EmulatorModelSpec | undefined {
  const baseId = toBaseModelId(modelId);
  const override = overrides[modelId] ?? overrides[baseId];
  if (typeof override === 'string') {
    if (depth >= 8) throw new Error(`Bedrock emulator: model alias loop at ${modelId}`);
    return lookupModelSpec(override, overrides, depth + 1);
  }
  const base = builtInSpec(baseId);
  if (override === undefined) return base;
  return { ...(base ?? { ...NO_CACHING, family: guessFamily(baseId) }), ...override };
}

/** The family an id's vendor suggests (for a user row without `family`). */
function guessFamily(baseId: string): EmulatorModelSpec['family'] {
  if (baseId.startsWith('anthropic.')) return 'claude';
  if (baseId.startsWith('amazon.nova')) return 'nova';
  return 'other';
}

/**
 * `lookupModelSpec`, with an unknown id read as a model without caching. The emulator itself
 * rejects unknown ids before it needs a spec; this is for callers that only want figures.
 */
export function resolveModelSpec(modelId: string, overrides: Record<string, EmulatorModelOverride> = {}): EmulatorModelSpec {
  return lookupModelSpec(modelId, overrides) ?? OTHER_NO_CACHING;
}
