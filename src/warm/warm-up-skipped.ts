const MARKER = Symbol.for('ai-sdk-bedrock-cache.warm-up-skipped');

/**
 * Thrown by the middleware for a warm-up call (`warmBedrockCache`) whose prefix the ledger
 * knows to be cached: no request is sent. `warmBedrockCache` turns it into a `skipped` result.
 */
export class BedrockCacheWarmUpSkipped extends Error {
  private readonly [MARKER] = true;
  /** Blocks of the prefix the ledger knows to be live. */
  readonly liveBlocks: number;

  constructor(liveBlocks: number) {
    super('bedrock prompt caching: this warm-up was skipped: the ledger knows its prefix to be cached.');
    this.name = 'BedrockCacheWarmUpSkipped';
    this.liveBlocks = liveBlocks;
  }

  /** The instance itself, or the one found in `cause`. */
  static find(error: unknown): BedrockCacheWarmUpSkipped | undefined {
    for (let e = error, depth = 0; e && typeof e === 'object' && depth < 4; e = (e as { cause?: unknown }).cause, depth++) {
      if (MARKER in e) return e as unknown as BedrockCacheWarmUpSkipped;
    }
    return undefined;
  }
}
