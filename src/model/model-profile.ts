import {
  detectFamily,
  FAMILY_DEFAULTS,
  MODEL_TABLE,
  type CacheTtl,
  type ModelCapabilities,
  type ModelFamily,
  type ModelRow,
} from './model-table';

/** Which Bedrock API the wrapped model speaks, which decides how a checkpoint is written. */
export type BedrockApi = 'converse' | 'anthropic-messages';

export interface ModelProfile extends ModelCapabilities {
  api: BedrockApi;
  /** The model id as the caller passed it. */
  modelId: string;
}

export type ModelMatch =
  | { supported: true; profile: ModelProfile }
  | { supported: false; api: BedrockApi | undefined; reason: string };

/**
 * A row of the caller's own (the `models` option): figures for a model this version
 * doesn't know, or corrections to one it does. Keyed by the model id as passed (an
 * application inference-profile ARN, say) or by a foundation-model id prefix without
 * region prefix (`anthropic.claude-opus-5`).
 */
export interface ModelOverride {
  /** Needed only when neither the key nor a built-in row names the family. */
  family?: ModelFamily;
  /** Minimum cumulative prompt tokens before a checkpoint caches anything. */
  minTokens?: number;
  /** TTLs the model accepts (5m is always accepted). */
  ttls?: readonly CacheTtl[];
  /** Whether a checkpoint may close the tool definitions. */
  cachesTools?: boolean;
  /** Whether a checkpoint may sit on a message that holds tool uses or results. */
  cachesToolTurns?: boolean;
  /** Content blocks Bedrock looks back from a checkpoint (Claude ~20, Nova 0). */
  lookbackBlocks?: number;
  /** `false`: the model doesn't cache; the middleware treats it as unsupported. */
  caches?: boolean;
}

/** What a model profile is read from, besides the model itself. */
export interface ProfileSources {
  /** The caller's word for ids that name no foundation model (the `modelFamily` option). */
  modelFamily?: ModelFamily;
  /** The caller's rows (the `models` option). */
  models?: Readonly<Record<string, ModelOverride>>;
}

// `vendor.model`, optionally behind a cross-region prefix (`us.`, `us-gov.`, `global.` …).
const FOUNDATION_ID = /^(?:[a-z-]+\.)?([a-z0-9-]+\.[a-z0-9][a-z0-9.:-]*)$/;
const APPLICATION_PROFILE = /:application-inference-profile\//;

/** The Bedrock API behind an AI SDK model, from its `provider` string. */
export function bedrockApiOf(provider: string): BedrockApi | undefined {
  if (provider === 'bedrock.anthropic.messages' || /bedrock.*anthropic/.test(provider)) {
    return 'anthropic-messages';
  }
  if (/bedrock/.test(provider)) return 'converse';
  return undefined;
}

/**
 * The foundation-model id inside a model id, cross-region inference-profile id or ARN
 * (`arn:aws:bedrock:us-east-1:123:inference-profile/us.anthropic.claude-…` →
 * `anthropic.claude-…`), or undefined when the id names no foundation model
 * (application inference-profile ARNs, custom ids).
 */
export function foundationModelId(modelId: string): string | undefined {
  if (APPLICATION_PROFILE.test(modelId)) return undefined;
  const lastSegment = modelId.slice(modelId.lastIndexOf('/') + 1).toLowerCase();
  return FOUNDATION_ID.exec(lastSegment)?.[1];
}

/** The row with the longest key that prefixes `foundationId` (the model table's, the caller's rows, the price table's). */
export function longestPrefix<T>(table: Readonly<Record<string, T>>, foundationId: string): T | undefined {
  let best: string | undefined;
  for (const prefix of Object.keys(table)) {
    if (foundationId.startsWith(prefix) && (best === undefined || prefix.length > best.length)) best = prefix;
  }
  return best === undefined ? undefined : table[best];
}

/** A built-in row merged with the caller's, or undefined when the caller says it doesn't cache. */
function withOverride(base: ModelCapabilities | undefined, override: ModelOverride): ModelCapabilities | false | undefined {
  if (override.caches === false) return false;
  const family = override.family ?? base?.family;
  if (family === undefined) return undefined;
  const start = base && base.family === family ? base : FAMILY_DEFAULTS[family];
  const ttls = override.ttls ? (override.ttls.includes('1h') ? (['1h', '5m'] as const) : (['5m'] as const)) : start.ttls;
  const { caches: _caches, family: _family, ...figures } = override;
  // The caller's figures are the caller's word: nothing is marked inferred any more.
  const { inferred: _inferred, ...rest } = start;
  return { ...rest, ...figures, family, ttls };
}

/**
 * What prompt caching the wrapped model supports. The caller's `models` rows come first
 * (the id as passed, then the longest foundation-id prefix), then the built-in table,
 * then family detection; `modelFamily` is used only where the id itself names no family.
 */
export function modelProfile(model: { provider: string; modelId: string }, sources: ProfileSources = {}): ModelMatch {
  const api = bedrockApiOf(model.provider);
  if (api === undefined) {
    return { supported: false, api, reason: `provider "${model.provider}" is not Amazon Bedrock` };
  }
  const foundationId = foundationModelId(model.modelId);
  const builtIn: ModelRow | undefined = foundationId === undefined ? undefined : longestPrefix(MODEL_TABLE, foundationId);
  const family = foundationId === undefined ? undefined : detectFamily(foundationId);
  let capabilities: ModelRow | undefined =
    builtIn ?? (family !== undefined ? FAMILY_DEFAULTS[family] : sources.modelFamily && FAMILY_DEFAULTS[sources.modelFamily]);

  const override =
    sources.models?.[model.modelId] ?? (foundationId === undefined ? undefined : sources.models && longestPrefix(sources.models, foundationId));
  if (override) {
    const merged = withOverride(capabilities || undefined, {
      ...(capabilities === undefined && !override.family && sources.modelFamily ? { family: sources.modelFamily } : {}),
      ...override,
    });
    if (merged !== undefined) capabilities = merged;
  }

  if (!capabilities) {
    const reason =
      capabilities === false
        ? `model "${foundationId ?? model.modelId}" does not support prompt caching on Bedrock`
        : foundationId === undefined
          ? `model id "${model.modelId}" names no foundation model; set the modelFamily option (or a models row) if it is a Claude or Nova model`
          : `model "${foundationId}" does not support prompt caching on Bedrock`;
    return { supported: false, api, reason };
  }
  if (api === 'anthropic-messages' && capabilities.family !== 'anthropic') {
    return { supported: false, api, reason: `model "${model.modelId}" is not a Claude model (InvokeModel Messages API)` };
  }
  return { supported: true, profile: { ...capabilities, api, modelId: model.modelId } };
}
