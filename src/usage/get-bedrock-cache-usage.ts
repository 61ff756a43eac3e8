import { cacheUsage, isRecord, num, type BedrockCacheUsage, type CacheCostFields } from './read-cache-usage';

/** Anything {@link getBedrockCacheUsage} can read. */
export type CacheUsageSource = object;

function fromProviderMetadata(metadata: unknown): BedrockCacheUsage | undefined {
  if (!isRecord(metadata)) return undefined;
  for (const key of ['bedrock', 'amazonBedrock']) {
    const entry = metadata[key];
    const usage = isRecord(entry) ? entry.usage : undefined;
    if (!isRecord(usage)) continue;
    const read = num(usage.cacheReadInputTokens);
    const write = num(usage.cacheWriteInputTokens);
    const uncached = num(usage.inputTokens);
    if (read !== undefined && write !== undefined && uncached !== undefined) return cacheUsage(read, write, uncached);
  }
  return undefined;
}

/** From the AI SDK's `LanguageModelUsage` (`inputTokenDetails`). */
function fromLanguageModelUsage(usage: unknown): BedrockCacheUsage | undefined {
  if (!isRecord(usage) || !isRecord(usage.inputTokenDetails)) return undefined;
  const details = usage.inputTokenDetails;
  const read = num(details.cacheReadTokens) ?? 0;
  const write = num(details.cacheWriteTokens) ?? 0;
  const uncached = num(details.noCacheTokens) ?? Math.max(0, (num(usage.inputTokens) ?? 0) - read - write);
  return cacheUsage(read, write, uncached);
}

/** The middleware's cost estimate for a call, from `providerMetadata.bedrockCache`. */
function costOf(metadata: unknown): CacheCostFields | undefined {
  const own = isRecord(metadata) ? metadata.bedrockCache : undefined;
  if (!isRecord(own)) return undefined;
  const costUsd = num(own.costUsd);
  const costWithoutCacheUsd = num(own.costWithoutCacheUsd);
  if (costUsd === undefined || costWithoutCacheUsd === undefined) return undefined;
  return { costUsd, costWithoutCacheUsd, savedUsd: costWithoutCacheUsd - costUsd };
}

function fromStep(step: unknown): BedrockCacheUsage {
  if (!isRecord(step)) return cacheUsage(0, 0, 0);
  const usage =
    fromProviderMetadata(step.providerMetadata) ??
    fromLanguageModelUsage(step.usage) ??
    fromProviderMetadata(step) ??
    fromLanguageModelUsage(step) ??
    cacheUsage(0, 0, 0);
  const cost = costOf(step.providerMetadata) ?? costOf(step);
  return cost ? { ...usage, ...cost } : usage;
}

function isPromiseLike(value: unknown): boolean {
  return isRecord(value) && typeof value.then === 'function';
}

/**
 * The cache usage of a call or of a whole multi-step run: cache reads, writes,
 * uncached and total input tokens, and the hit ratio.
 *
 * Accepts a `generateText` result or an `onFinish` event (all steps are summed), an
 * array of steps, one step, a call's `providerMetadata`, or a `LanguageModelUsage`.
 * For `streamText`, pass the awaited steps: `getBedrockCacheUsage(await result.steps)`.
 */
export function getBedrockCacheUsage(source: CacheUsageSource): BedrockCacheUsage {
  if (isPromiseLike(source) || (isRecord(source) && isPromiseLike(source.steps))) {
    throw new TypeError(
      'getBedrockCacheUsage: got a promise. For streamText, await it first: getBedrockCacheUsage(await result.steps).',
    );
  }
  const steps: ReadonlyArray<unknown> | undefined = Array.isArray(source)
    ? source
    : isRecord(source) && Array.isArray(source.steps)
      ? source.steps
      : undefined;
  if (!steps) return fromStep(source);
  let read = 0;
  let write = 0;
  let uncached = 0;
  // Dollars only when every step has an estimate: a partial sum would understate the cost.
  let cost: { costUsd: number; costWithoutCacheUsd: number } | undefined = { costUsd: 0, costWithoutCacheUsd: 0 };
  for (const step of steps) {
    const usage = fromStep(step);
    read += usage.cacheReadInputTokens;
    write += usage.cacheWriteInputTokens;
    uncached += usage.uncachedInputTokens;
    if (cost && usage.costUsd !== undefined && usage.costWithoutCacheUsd !== undefined) {
      cost = { costUsd: cost.costUsd + usage.costUsd, costWithoutCacheUsd: cost.costWithoutCacheUsd + usage.costWithoutCacheUsd };
    } else cost = undefined;
  }
  const total = cacheUsage(read, write, uncached);
  return cost && steps.length > 0 ? { ...total, ...cost, savedUsd: cost.costWithoutCacheUsd - cost.costUsd } : total;
}
