import type { LanguageModelV3Usage, SharedV3ProviderMetadata } from '@ai-sdk/provider';
import type { CacheMiss } from '../ledger/explain-miss';

/** Cache usage of one model call or of a whole run, in Bedrock's terms. */
export interface BedrockCacheUsage extends CacheCostFields {
  /** Input tokens read from the cache (billed at 0.1× on Claude, 0.25× on Nova). */
  cacheReadInputTokens: number;
  /** Input tokens written to the cache (billed at 1.25× for 5m, 2× for 1h on Claude). */
  cacheWriteInputTokens: number;
  /** Input tokens neither read from nor written to the cache (Bedrock's `inputTokens`). */
  uncachedInputTokens: number;
  /** All input tokens: uncached + read + written. */
  totalInputTokens: number;
  /** Share of the input read from the cache, 0–1 (0 when there was no input). */
  hitRatio: number;
}

/** Cache writes by TTL, as Bedrock reports them. */
export type CacheDetails = Array<{ ttl: string; inputTokens: number }>;

/** What `onCacheUsage` receives after each model call. */
export interface CacheUsageReport extends BedrockCacheUsage, CacheCostFields {
  /** The wrapped model's id. */
  modelId: string;
  /** `generate` for doGenerate, `stream` for doStream. */
  callType: 'generate' | 'stream';
  /** Cache writes by TTL, when Bedrock reported them. */
  cacheDetails: CacheDetails | undefined;
  /** Checkpoints this middleware added, and the caller's own. */
  checkpoints: { added: number; existing: number };
  /** Set when Bedrock rejected the middleware's checkpoints and the call was sent again. */
  recoveredFrom?: string;
  /** Why this call read less from the cache than an earlier call left there (the ledger's view). */
  cacheMiss?: CacheMiss;
}

/** Estimated input cost in USD, for models with known prices (see the `prices` option). */
export interface CacheCostFields {
  /** Input cost with caching: uncached, read and written tokens at their prices. */
  costUsd?: number;
  /** What the same input would have cost without caching. */
  costWithoutCacheUsd?: number;
  /** `costWithoutCacheUsd − costUsd`: negative when writes cost more than reads saved. */
  savedUsd?: number;
}

type JsonRecord = Record<string, unknown>;
export const isRecord = (value: unknown): value is JsonRecord => typeof value === 'object' && value !== null && !Array.isArray(value);
export const num = (value: unknown): number | undefined => (typeof value === 'number' && Number.isFinite(value) ? value : undefined);

export function cacheUsage(read: number, write: number, uncached: number): BedrockCacheUsage {
  const total = read + write + uncached;
  return {
    cacheReadInputTokens: read,
    cacheWriteInputTokens: write,
    uncachedInputTokens: uncached,
    totalInputTokens: total,
    hitRatio: total > 0 ? read / total : 0,
  };
}

/** Cache writes by TTL from Bedrock's `cacheDetails` or Anthropic's `cache_creation`. */
function readCacheDetails(raw: unknown, providerMetadata: SharedV3ProviderMetadata | undefined): CacheDetails | undefined {
  const reported = (providerMetadata?.bedrock?.usage as JsonRecord | undefined)?.cacheDetails;
  if (Array.isArray(reported)) return reported as CacheDetails;
  if (!isRecord(raw)) return undefined;
  if (Array.isArray(raw.cacheDetails)) return raw.cacheDetails as CacheDetails;
  const creation = raw.cache_creation;
  if (!isRecord(creation)) return undefined;
  const details: CacheDetails = [];
  const oneHour = num(creation.ephemeral_1h_input_tokens) ?? 0;
  const fiveMinutes = num(creation.ephemeral_5m_input_tokens) ?? 0;
  if (oneHour > 0) details.push({ ttl: '1h', inputTokens: oneHour });
  if (fiveMinutes > 0) details.push({ ttl: '5m', inputTokens: fiveMinutes });
  return details;
}

/**
 * The cache usage of one call, from the provider's usage (Converse and InvokeModel
 * alike: the provider fills `inputTokens.cacheRead/cacheWrite` for both).
 */
export function readCacheUsage(
  usage: LanguageModelV3Usage | undefined,
  providerMetadata: SharedV3ProviderMetadata | undefined,
): BedrockCacheUsage & { cacheDetails: CacheDetails | undefined } {
  const raw = usage?.raw as JsonRecord | undefined;
  const read = usage?.inputTokens.cacheRead ?? num(raw?.cacheReadInputTokens) ?? num(raw?.cache_read_input_tokens) ?? 0;
  const write =
    usage?.inputTokens.cacheWrite ?? num(raw?.cacheWriteInputTokens) ?? num(raw?.cache_creation_input_tokens) ?? 0;
  const uncached = usage?.inputTokens.noCache ?? Math.max(0, (usage?.inputTokens.total ?? 0) - read - write);
  return { ...cacheUsage(read, write, uncached), cacheDetails: readCacheDetails(raw, providerMetadata) };
}

/**
 * Provider metadata with `bedrock.usage.inputTokens` (uncached, as Bedrock counts it),
 * `.cacheReadInputTokens` and `.cacheWriteInputTokens` always present as numbers, keeping what the provider put
 * there (`cacheDetails`). Provider 5 reports under `amazonBedrock` too: mirrored there.
 */
export function withCacheUsage(
  providerMetadata: SharedV3ProviderMetadata | undefined,
  usage: BedrockCacheUsage & { cacheDetails: CacheDetails | undefined },
  /** The middleware's own findings (cost, miss), under `providerMetadata.bedrockCache`. */
  findings?: CacheCostFields & { cacheMiss?: CacheMiss },
): SharedV3ProviderMetadata {
  const withUsage = (entry: Record<string, unknown> | undefined) => ({
    ...entry,
    usage: {
      ...(entry?.usage as JsonRecord | undefined),
      inputTokens: usage.uncachedInputTokens,
      cacheReadInputTokens: usage.cacheReadInputTokens,
      cacheWriteInputTokens: usage.cacheWriteInputTokens,
      ...(usage.cacheDetails && { cacheDetails: usage.cacheDetails }),
    },
  });
  return {
    ...providerMetadata,
    bedrock: withUsage(providerMetadata?.bedrock) as SharedV3ProviderMetadata[string],
    ...(providerMetadata?.amazonBedrock && {
      amazonBedrock: withUsage(providerMetadata.amazonBedrock) as SharedV3ProviderMetadata[string],
    }),
    // plain numbers and strings, built without undefined fields: JSON values as they are
    ...(findings && Object.keys(findings).length > 0 && { bedrockCache: findings as SharedV3ProviderMetadata[string] }),
  };
}
