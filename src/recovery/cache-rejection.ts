import { APICallError } from '@ai-sdk/provider';

/** How a call Bedrock rejected for its cache checkpoints is sent again (once). */
export type CacheRemedy =
  /** The caller's checkpoints (repaired) and none of ours. */
  | 'without-our-checkpoints'
  /** Ours again, with 5m instead of 1h; the model's 1h is not used again. */
  | 'ttl-5m'
  /** Ours, but none on messages; not placed on this model's messages again. */
  | 'without-message-checkpoints';

/** How the retry was sent, for the call's warning. */
export const REMEDY_TEXT: Readonly<Record<CacheRemedy, string>> = {
  'without-our-checkpoints': "without the middleware's checkpoints",
  'ttl-5m': 'with 5m instead of 1h (not tried again on this model)',
  'without-message-checkpoints': 'without message checkpoints (not placed on this model again)',
};

export interface CacheRejection {
  /** A short name for warnings and `recoveredFrom`. */
  reason: string;
  remedy: CacheRemedy;
}

/** What the middleware added to the rejected request, which decides how to recover. */
export interface OurCheckpoints {
  /** Some carry a 1h TTL. */
  has1h: boolean;
  /** Some sit right after a document block. */
  afterDocument: boolean;
  /** Some sit on messages (not tools or system). */
  onMessages: boolean;
  family: 'anthropic' | 'nova';
}

/**
 * Bedrock's texts for requests it rejects because of their cache checkpoints
 * (../shared/docs/bedrock-caching.md §1, §3, §5), with a short name for warnings.
 */
const CACHE_REJECTIONS: ReadonlyArray<readonly [needle: string, name: string]> = [
  ['A maximum of 4 blocks with cache_control may be provided', 'more than 4 checkpoints'],
  ["cache_control block must not come after a ttl='5m' cache_control block", 'TTL order'],
  ['There is nothing available to cache', 'a checkpoint with nothing before it'],
  ['Cache point cannot be inserted after reasoning block', 'a checkpoint after a reasoning block'],
  ['your request did not allow prompt caching', 'the model or region does not cache'],
  ['extraneous key [cachePoint] is not permitted', 'a checkpoint the model does not accept'],
];

/** Looser matches, trusted only on an HTTP 400/403 from Bedrock itself. */
const CACHE_MENTIONS: ReadonlyArray<readonly [needle: string, name: string]> = [
  ['cache_control', 'an invalid cache_control'],
  ['cachePoint', 'an invalid cachePoint'],
];

/**
 * A 1h TTL on a model without extended TTL: Claude before 4.5 answers `Extra inputs are not
 * permitted` (earendil-works/pi #1570, openclaw/openclaw #47121), Nova its own text (§1 2026-12).
 */
const TTL_REJECTIONS = ['Extra inputs are not permitted', 'Extended TTL prompt caching is only supported'];

/**
 * A checkpoint right after a text-extracted document: `messages.N.content.M.type: Field
 * required`, a text that names no cache point (aws/aws-sdk-java-v2 #6277, §1 2026-12).
 */
const AFTER_DOCUMENT = /messages\.\d+\.content\.\d+\.type: Field required/;

function errorText(error: unknown): { text: string; trusted: boolean } | undefined {
  if (APICallError.isInstance(error)) {
    // Only HTTP 400 and 403 count: throttling and server errors are the AI SDK's own retries' business.
    if (error.statusCode !== 400 && error.statusCode !== 403) return undefined;
    return { text: `${error.message}\n${error.responseBody ?? ''}`, trusted: true };
  }
  // An exception event inside a stream (e.g. a validationException frame): its message only.
  const message = typeof error === 'object' && error !== null ? (error as { message?: unknown }).message : undefined;
  return typeof message === 'string' ? { text: message, trusted: false } : undefined;
}

/**
 * Why Bedrock rejected a request because of the cache checkpoints the middleware added,
 * and how to send it again; undefined for any other error (those are never retried here).
 */
export function cacheRejection(error: unknown, ours: OurCheckpoints): CacheRejection | undefined {
  const found = errorText(error);
  if (!found) return undefined;
  const { text, trusted } = found;
  if (ours.has1h && TTL_REJECTIONS.some((needle) => text.includes(needle))) {
    return { reason: 'a 1h TTL the model does not accept', remedy: 'ttl-5m' };
  }
  if (ours.afterDocument && AFTER_DOCUMENT.test(text)) {
    return { reason: 'a checkpoint right after a document', remedy: 'without-our-checkpoints' };
  }
  const known = CACHE_REJECTIONS.find(([needle]) => text.includes(needle));
  if (known) {
    // Nova 2 Lite rejects message checkpoints sporadically (§3, zeroclaw-labs/zeroclaw #8720);
    // the middleware never puts one in Nova's toolConfig, so this is about messages.
    if (known[0].startsWith('extraneous key') && ours.family === 'nova' && ours.onMessages) {
      return { reason: known[1], remedy: 'without-message-checkpoints' };
    }
    return { reason: known[1], remedy: 'without-our-checkpoints' };
  }
  const mention = trusted ? CACHE_MENTIONS.find(([needle]) => text.includes(needle)) : undefined;
  return mention ? { reason: mention[1], remedy: 'without-our-checkpoints' } : undefined;
}
