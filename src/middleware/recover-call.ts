import { cacheRejection, REMEDY_TEXT, type CacheRejection } from '../recovery/cache-rejection';
import type { CallContext } from './call-context';
import { cacheWarning, type MiddlewareParts, type ModelIdentity } from './middleware-parts';
import { place, sentOf } from './prepare-context';

/** The rejection to recover from, when the error is Bedrock refusing our checkpoints (and we may retry). */
export function canRecover(parts: MiddlewareParts, context: CallContext, error: unknown): CacheRejection | undefined {
  return parts.resolved.retryOnCacheError && context.ours ? cacheRejection(error, context.ours) : undefined;
}

/** The params to send again after a rejection; the model remembers what it refused. */
export function recover(parts: MiddlewareParts, context: CallContext, model: ModelIdentity, rejection: CacheRejection) {
  parts.models.learn(model.modelId, rejection.remedy);
  const placement = place(parts, context.call!, model, rejection.remedy !== 'without-our-checkpoints');
  context.recovered = rejection.reason;
  context.checkpoints = placement.checkpoints;
  context.sent = sentOf(placement);
  context.ours = undefined; // one retry only
  context.warnings = [
    ...context.warnings,
    cacheWarning(`Bedrock rejected this request's cache checkpoints (${rejection.reason}); it was sent again ${REMEDY_TEXT[rejection.remedy]}.`),
  ];
  return placement.params;
}
