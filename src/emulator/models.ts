import { PROVIDER_MODEL_IDS } from './model-catalogue.js';
import { claudeGeneration } from './tokenizer.js';
import type { EmulatorModelOverride, EmulatorModelSpec } from './types.js';

/*
 * Which model ids the emulated Bedrock knows, and how each caches. Bedrock's catalogue is
 * organised by vendor and family, and every new Claude or Nova release caches the way its
 * family does, so the emulator detects the family (shared doc §3: "exact-prefix tables go
 * stale with each release: detect the family, keep exact rows where known") and keeps exact
 * rows only where the doc gives figures.
 */

const CLAUDE: Pick<EmulatorModelSpec, 'family' | 'caching' | 'toolCheckpoints' | 'lookbackBlocks' | 'contextWindow'> = {
  family: 'claude',
  caching: true,
  toolCheckpoints: true,
  // shared doc §1: Claude "simplified cache management" checks ~20 earlier block boundaries.
  lookbackBlocks: 20,
  // 200K before Claude 4.6 (daisuke-awaji/moca #254: "prompt is too long: 200049 tokens >
  // 200000 maximum"; Sonnet 4 / 4.5 get 1M only with the context-1m beta, see context-window.ts).
  contextWindow: 200_000,
};
/** Extended (1h) TTL accepted. */
const CLAUDE_5M_1H = { ...CLAUDE, ttls: ['5m', '1h'] as const };
/**
 * Claude 4.6 and later: a 1M-token window without any beta. Measured live (NousResearch/hermes-agent
 * #31277, 2026-08: Sonnet 4.6, Opus 4.6, Opus 4.7, Opus 4.8, Sonnet 5 all answer "… > 1000000
 * maximum"; anomalyco/models.dev #1221 for Sonnet 4.6 and Opus 4.6). Sonnet 5.5, Opus 5 / 5.5 and
 * Fable: not measured, the same generation's figure (a guess).
 */
const WINDOW_1M = { contextWindow: 1_000_000 };
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
  'anthropic.claude-opus-4-6-v1': { ...CLAUDE_5M_1H, ...WINDOW_1M, minTokens: 4096 },
  'anthropic.claude-opus-4-7': { ...CLAUDE_5M_1H, ...WINDOW_1M, minTokens: 4096 },
  'anthropic.claude-haiku-4-5-20251001-v1:0': { ...CLAUDE_5M_1H, minTokens: 4096 },
  'anthropic.claude-sonnet-4-5-20250929-v1:0': { ...CLAUDE_5M_1H, minTokens: 1024 },
  // doc §3: AWS's id, and the provider's `-v1` id; "accept both".
  'anthropic.claude-sonnet-4-6': { ...CLAUDE_5M_1H, ...WINDOW_1M, minTokens: 1024 },
  'anthropic.claude-sonnet-4-6-v1': { ...CLAUDE_5M_1H, ...WINDOW_1M, minTokens: 1024 },
  // doc §3: 1,024, 5m only.
  'anthropic.claude-sonnet-4-20250514-v1:0': { ...CLAUDE_5M, minTokens: 1024 },
  'anthropic.claude-opus-4-20250514-v1:0': { ...CLAUDE_5M, minTokens: 1024 },
  'anthropic.claude-opus-4-1-20250805-v1:0': { ...CLAUDE_5M, minTokens: 1024 },
  // doc §3 (2026-12): 1,024 (LiteLLM's Bedrock table, 2026-10).
  'anthropic.claude-opus-4-8': { ...CLAUDE_5M_1H, ...WINDOW_1M, minTokens: 1024 },
  'anthropic.claude-sonnet-5': { ...CLAUDE_5M_1H, ...WINDOW_1M, minTokens: 1024 },
  'anthropic.claude-sonnet-5-5': { ...CLAUDE_5M_1H, ...WINDOW_1M, minTokens: 1024 },
  // doc §3 (2026-12): 512 for Opus 5 and Fable 5; Opus 5.5 not published, "use 512".
  'anthropic.claude-opus-5': { ...CLAUDE_5M_1H, ...WINDOW_1M, minTokens: 512 },
  'anthropic.claude-opus-5-5': { ...CLAUDE_5M_1H, ...WINDOW_1M, minTokens: 512 },
  'anthropic.claude-fable-5': { ...CLAUDE_5M_1H, ...WINDOW_1M, minTokens: 512 },
  'anthropic.claude-fable-5-1': { ...CLAUDE_5M_1H, ...WINDOW_1M, minTokens: 512 },
  'anthropic.claude-3-7-sonnet-20250219-v1:0': { ...CLAUDE_5M, minTokens: 1024 },
  'anthropic.claude-3-5-haiku-20241022-v1:0': { ...CLAUDE_5M, minTokens: 2048 },
  'anthropic.claude-3-5-sonnet-20241022-v2:0': { ...CLAUDE_5M, minTokens: 1024 },
  // Nova context windows: AWS's Nova model cards (Micro 128K, Lite and Pro 300K, Premier and
  // Nova 2 Lite 1M); the text of the rejection is not recorded (see context-window.ts).
  'amazon.nova-micro-v1:0': { ...NOVA, contextWindow: 128_000 },
  'amazon.nova-lite-v1:0': { ...NOVA, contextWindow: 300_000 },
  'amazon.nova-pro-v1:0': { ...NOVA, contextWindow: 300_000 },
  'amazon.nova-premier-v1:0': { ...NOVA, contextWindow: 1_000_000 },
  // Contested (doc §3): a message checkpoint was rejected sporadically (zeroclaw-labs/zeroclaw
  // #8720); a live probe saw writes. The emulator's default follows the doc ("cache it");
  // `models: { 'amazon.nova-2-lite-v1:0': { messageCheckpoints: 'reject' } }` gives the other.
  'amazon.nova-2-lite-v1:0': { ...NOVA, contextWindow: 1_000_000 },
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
 * Model families by vendor, for ids outside the provider's list and the table above: the
 * family names of AWS's "Supported foundation models in Amazon Bedrock" list (vendors also
 * seen in Pydantic AI's Bedrock cassettes: ai21, google, luma, minimax, moonshot(ai), nvidia,
 * qwen, stability, twelvelabs, writer, zai). Written from that list as known in 2026-12, not
 * checked against it here: a guess at the edges. A family missing here is a gap, not a rule:
 * such an id gets 400 unless `acceptUnknownModels` or a `models` row says otherwise. The
 * emulator answers all of these without caching (shared doc §3: other families get no
 * checkpoints; §1 reports implicit caching for some third-party models such as Grok, which is
 * not modelled: a known gap, not a rule).
 */
const OTHER_VENDOR_FAMILIES: Readonly<Record<string, RegExp>> = {
  ai21: /^(?:jamba|j2)-/,
  amazon: /^titan-/,
  cohere: /^(?:command|embed|rerank)-/,
  deepseek: /^(?:r1|v3)/,
  google: /^gemma-/,
  luma: /^ray-/,
  meta: /^llama\d/,
  minimax: /^minimax-/,
  mistral: /^(?:mistral|mixtral|pixtral|magistral|ministral|devstral|voxtral)-/,
  moonshot: /^kimi-/,
  moonshotai: /^kimi-/,
  nvidia: /^nemotron-/,
  openai: /^gpt-oss-/,
  qwen: /^qwen\d/,
  stability: /^(?:sd3|stable-)/,
  twelvelabs: /^(?:pegasus|marengo)-/,
  writer: /^palmyra-/,
  zai: /^glm-/,
};

/** `vendor.model`: lower-case letters, digits, `-`, `.`, `:` (the shape of every id in Bedrock's catalogue). */
const MODEL_ID_SHAPE = /^([a-z0-9]+)\.([a-z0-9][a-z0-9.:-]*)$/;

/** A date in an id (`20250929`): a plausible year, month and day. */
const ID_DATE = '20[2-3]\\d(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\\d|3[01])';
/** Bedrock's version suffix: `-v1`, `-v1:0`, `-v2:0`. */
const ID_VERSION = '-v\\d{1,2}(?::\\d{1,2})?';

/**
 * The grammar of Claude ids on Bedrock (every id in the provider's list parses):
 *  - `claude-<family>-<major>[-<minor>][-<date>][-v<n>[:<m>]]`, Claude 4 and later, family
 *    opus, sonnet, haiku, fable or mythos (Anthropic's model names; Mythos 5 is on Anthropic's
 *    API, not yet in the provider's list), major 4–19;
 *  - `claude-3[-5|-7]-<opus|sonnet|haiku>-<date>-v<n>[:<m>]`;
 *  - `claude-v2[:1]`, `claude-instant-v1`.
 * A typo in the family (`claude-sonet-4-5…`) or a made-up name (`claude-nonexistent-9`) does
 * not parse: Bedrock answers those "The provided model identifier is invalid." (shared doc §1).
 */
const CLAUDE_ID = new RegExp(
  [
    `^anthropic\\.claude-(?:opus|sonnet|haiku|fable|mythos)-(?:[4-9]|1\\d)(?:-\\d)?(?:-${ID_DATE})?(?:${ID_VERSION})?$`,
    `^anthropic\\.claude-3(?:-[57])?-(?:opus|sonnet|haiku)-${ID_DATE}${ID_VERSION}$`,
    '^anthropic\\.claude-(?:v2(?::1)?|instant-v1)$',
  ].join('|'),
);

/**
 * The grammar of Nova ids: `nova-[2-]<family>-v<n>[:<m>]`, family micro, lite, pro, premier
 * (text), omni, sonic, canvas, reel, multimodal-embeddings (AWS's Nova user guide).
 */
const NOVA_ID = /^amazon\.nova-(?:2-)?(?:micro|lite|pro|premier|omni|sonic|canvas|reel|multimodal-embeddings)-v\d{1,2}(?::\d{1,2})?$/;

/** Whether a base id names a model Bedrock serves: the provider's list, or the grammar of its vendor's families. */
function isKnownModelId(baseId: string): boolean {
  if (PROVIDER_IDS.has(baseId)) return true;
  const [, vendor, model] = MODEL_ID_SHAPE.exec(baseId) ?? [];
  if (vendor === undefined || model === undefined) return false;
  if (vendor === 'anthropic') return CLAUDE_ID.test(baseId);
  if (vendor === 'amazon' && model.startsWith('nova-')) return NOVA_ID.test(baseId);
  const families = Object.hasOwn(OTHER_VENDOR_FAMILIES, vendor) ? OTHER_VENDOR_FAMILIES[vendor] : undefined;
  return families?.test(model) ?? false;
}

const PROVIDER_IDS: ReadonlySet<string> = new Set(PROVIDER_MODEL_IDS);

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
 * later: 1h TTL (every such row has it, above); 4.6 and later: a 1M window. Earlier or unreadable: 1,024 and 5m. A guess
 * by construction: override with `models` for a model whose figures are known.
 */
function inferClaude(baseId: string): EmulatorModelSpec {
  const generation = claudeGeneration(baseId) ?? 0;
  return {
    ...(generation >= 4.5 ? CLAUDE_5M_1H : CLAUDE_5M),
    ...(generation >= 4.6 && WINDOW_1M),
    minTokens: generation >= 5 ? 512 : 1024,
    inferred: true,
  };
}

/**
 * The built-in spec of a base id, or `undefined` if Bedrock doesn't know it. With
 * `acceptUnknown`, any id of Bedrock's shape (`vendor.model`) is known: a Claude or Nova id
 * newer than this table and grammar gets its family's figures, any other id no caching.
 */
function builtInSpec(baseId: string, acceptUnknown: boolean): EmulatorModelSpec | undefined {
  if (Object.hasOwn(BEDROCK_MODEL_TABLE, baseId)) return BEDROCK_MODEL_TABLE[baseId];
  if (OPAQUE_ARN.test(baseId)) return OTHER_NO_CACHING;
  if (!MODEL_ID_SHAPE.test(baseId) || !(acceptUnknown || isKnownModelId(baseId))) return undefined;
  if (baseId.startsWith('anthropic.claude')) {
    if (CLAUDE_WITHOUT_CACHING.some((pattern) => pattern.test(baseId))) return { ...NO_CACHING, family: 'claude' };
    return inferClaude(baseId);
  }
  if (baseId.startsWith('amazon.nova-')) return NOVA_NOT_TEXT.test(baseId) ? OTHER_NO_CACHING : { ...NOVA, inferred: true };
  // An `anthropic.` id that isn't a Claude is not in Bedrock's catalogue, even when accepting unknown ids.
  return baseId.startsWith('anthropic.') ? undefined : OTHER_NO_CACHING;
}

/** How `lookupModelSpec` reads ids outside the built-in catalogue. */
export interface ModelLookupOptions {
  /**
   * Accept any id of Bedrock's shape (`vendor.model`, or an ARN) that the catalogue and the
   * id grammar don't know, as Bedrock would a model released after this table: a Claude or
   * Nova id gets its family's figures (`inferred`), any other vendor's no caching.
   */
  acceptUnknownModels?: boolean;
}

/**
 * Finds the caching spec of a model id: `overrides` first (by the id as given, then by its
 * base id; own properties only, so `constructor` or `__proto__` are ids like any other), then
 * the built-in rows, the provider's ids and the id grammar. A string override is an alias to
 * another id. Returns `undefined` for an id Bedrock doesn't know (a typo, an unknown family or
 * vendor, garbage, a path): Bedrock answers those with "The provided model identifier is
 * invalid." (shared doc §1 2026-12). A partial override of an unknown id is completed with the
 * no-caching defaults.
 */
export function lookupModelSpec(
  modelId: string,
  overrides: Record<string, EmulatorModelOverride> = {},
  options: ModelLookupOptions = {},
): EmulatorModelSpec | undefined {
  return lookupAt(modelId, overrides, options.acceptUnknownModels ?? false, 0);
}

function lookupAt(
  modelId: string,
  overrides: Record<string, EmulatorModelOverride>,
  acceptUnknown: boolean,
  depth: number,
): EmulatorModelSpec | undefined {
  const baseId = toBaseModelId(modelId);
  const own = (id: string) => (Object.hasOwn(overrides, id) ? overrides[id] : undefined);
  const override = own(modelId) ?? own(baseId);
  if (typeof override === 'string') {
    if (depth >= 8) throw new Error(`Bedrock emulator: model alias loop at ${modelId}`);
    return lookupAt(override, overrides, acceptUnknown, depth + 1);
  }
  const base = builtInSpec(baseId, acceptUnknown);
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
export function resolveModelSpec(
  modelId: string,
  overrides: Record<string, EmulatorModelOverride> = {},
  options: ModelLookupOptions = {},
): EmulatorModelSpec {
  return lookupModelSpec(modelId, overrides, options) ?? OTHER_NO_CACHING;
}
