import type { EmulatorModelOverride, EmulatorModelSpec } from './types.js';

const CLAUDE_5M_1H: Pick<EmulatorModelSpec, 'family' | 'caching' | 'ttls' | 'toolCheckpoints' | 'lookbackBlocks'> = {
  family: 'claude',
  caching: true,
  ttls: ['5m', '1h'],
  toolCheckpoints: true,
  // shared doc §1: Claude "simplified cache management" checks ~20 earlier block boundaries.
  lookbackBlocks: 20,
};

const CLAUDE_5M = { ...CLAUDE_5M_1H, ttls: ['5m'] as const };

/**
 * Nova (shared doc §3): 5m only, no checkpoint in `toolConfig.tools`, at most ~20K cached tokens.
 * Emulator choices (documented, not verified against AWS):
 *  - no lookback: a Nova checkpoint only hits an entry written at exactly the same prefix;
 *  - `maxCachedTokens`: a checkpoint whose cumulative prefix exceeds 20,000 tokens caches
 *    nothing (neither reads nor writes); earlier checkpoints still work.
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

/**
 * The caching model table of shared doc §3, keyed by model id without region prefix.
 * Where the doc lists two values, the first (the AWS table's) is used.
 */
export const BEDROCK_MODEL_TABLE: Readonly<Record<string, EmulatorModelSpec>> = {
  'anthropic.claude-opus-4-5-20251101-v1:0': { ...CLAUDE_5M_1H, minTokens: 4096 },
  'anthropic.claude-opus-4-6-v1': { ...CLAUDE_5M_1H, minTokens: 4096 },
  'anthropic.claude-opus-4-7': { ...CLAUDE_5M_1H, minTokens: 4096 },
  'anthropic.claude-haiku-4-5-20251001-v1:0': { ...CLAUDE_5M_1H, minTokens: 4096 },
  'anthropic.claude-sonnet-4-5-20250929-v1:0': { ...CLAUDE_5M_1H, minTokens: 1024 },
  'anthropic.claude-sonnet-4-6': { ...CLAUDE_5M_1H, minTokens: 1024 },
  'anthropic.claude-3-7-sonnet-20250219-v1:0': { ...CLAUDE_5M, minTokens: 1024 },
  'anthropic.claude-3-5-haiku-20241022-v1:0': { ...CLAUDE_5M, minTokens: 2048 },
  'anthropic.claude-3-5-sonnet-20241022-v2:0': { ...CLAUDE_5M, minTokens: 1024 },
  'amazon.nova-micro-v1:0': NOVA,
  'amazon.nova-lite-v1:0': NOVA,
  'amazon.nova-pro-v1:0': NOVA,
  'amazon.nova-premier-v1:0': NOVA,
  'amazon.nova-2-lite-v1:0': NOVA,
};

/** Cross-region inference-profile prefixes (shared doc §3). */
const REGION_PREFIX = /^(?:us-gov|us|eu|apac|jp|au|ca|global)\./;

/** `arn:aws:bedrock:REGION:ACCOUNT:(inference-profile|foundation-model)/ID` → ID. */
const RESOLVABLE_ARN = /^arn:aws[a-z-]*:bedrock:[^:]*:[^:]*:(?:inference-profile|foundation-model)\/(.+)$/;

/**
 * Reduces a model id to its table key: unwraps system inference-profile and
 * foundation-model ARNs and strips a cross-region prefix. Application inference-profile ARNs
 * (and other ARNs) are returned unchanged: they don't contain the model id (shared doc §3).
 */
export function toBaseModelId(modelId: string): string {
  return unwrapModelArn(modelId).replace(REGION_PREFIX, '');
}

/** The model or inference-profile id inside a system inference-profile / foundation-model ARN; other ids unchanged. */
export function unwrapModelArn(modelId: string): string {
  return RESOLVABLE_ARN.exec(modelId)?.[1] ?? modelId;
}

/** Spec of a model the table doesn't know: answered, never cached (every checkpoint is rejected). */
const UNKNOWN_MODEL: EmulatorModelSpec = {
  family: 'other',
  caching: false,
  minTokens: 0,
  ttls: [],
  toolCheckpoints: false,
  lookbackBlocks: 0,
};

/** Guess the family of an unknown id, so e.g. an unknown Claude still takes Anthropic InvokeModel bodies. */
function guessFamily(baseId: string): EmulatorModelSpec['family'] {
  if (baseId.startsWith('anthropic.')) return 'claude';
  if (baseId.startsWith('amazon.nova')) return 'nova';
  return 'other';
}

/**
 * Finds the caching spec of a model id: `overrides` first (by the id as given, then by its
 * base id), then the built-in table. A string override is an alias to another id. A model
 * found nowhere gets a spec with `caching: false`: the emulator answers it but rejects any
 * checkpoint ("unsupported model", shared doc §1).
 */
export function resolveModelSpec(
  modelId: string,
  overrides: Record<string, EmulatorModelOverride> = {},
  depth = 0,
): EmulatorModelSpec {
  const baseId = toBaseModelId(modelId);
  const override = overrides[modelId] ?? overrides[baseId];
  const builtIn = BEDROCK_MODEL_TABLE[baseId];
  if (typeof override === 'string') {
    if (depth >= 8) throw new Error(`Bedrock emulator: model alias loop at ${modelId}`);
    return resolveModelSpec(override, overrides, depth + 1);
  }
  const base = builtIn ?? { ...UNKNOWN_MODEL, family: guessFamily(baseId) };
  return override === undefined ? base : { ...base, ...override };
}
