/**
 * Types every floor shares. The bottom floor: this file imports nothing, so that the
 * folders below the glue (plan/, ledger/, telemetry/ …) never import options/ back.
 */

/** A prompt section that can end in a cache checkpoint, in Bedrock's prefix order. */
export type CacheSection = 'tools' | 'system' | 'messages';

/** What to do when the wrapped model can't cache (the `unsupportedModelBehavior` option). */
export type UnsupportedModelBehavior = 'ignore' | 'warn' | 'raise';
