import { AISDKError } from '@ai-sdk/provider';

const name = 'AI_BedrockCacheUnsupportedModelError';
const marker = `vercel.ai.error.${name}`;
const symbol = Symbol.for(marker);

/**
 * Thrown before any request is sent when `unsupportedModelBehavior` is `'raise'` and
 * the wrapped model can't use Bedrock prompt caching.
 */
export class BedrockCacheUnsupportedModelError extends AISDKError {
  private readonly [symbol] = true; // used in isInstance

  /** The wrapped model's provider id. */
  readonly provider: string;
  /** The wrapped model's id. */
  readonly modelId: string;

  constructor({ provider, modelId, reason }: { provider: string; modelId: string; reason: string }) {
    super({ name, message: `Bedrock prompt caching is not available: ${reason}.` });
    this.provider = provider;
    this.modelId = modelId;
  }

  static override isInstance(error: unknown): error is BedrockCacheUnsupportedModelError {
    return AISDKError.hasMarker(error, marker);
  }
}
