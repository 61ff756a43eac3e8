import type { LanguageModelV3CallOptions, SharedV3ProviderOptions } from '@ai-sdk/provider';
import type { BedrockApi } from '../model/model-profile';
import { resolveCallOptions } from '../options/resolve-options';
import type { CallOptions, ResolvedOptions } from '../options/types';

/** The provider-options key a call uses to control the middleware for itself. */
export const CALL_OPTIONS_KEY = 'bedrockCache';

export interface PreparedCall {
  /** The params the provider may see: the call's `bedrockCache` key removed, a top-level `cache_control` turned into the middleware's. */
  params: LanguageModelV3CallOptions;
  /** The options this call is planned with. */
  options: CallOptions;
  /** Things the caller should know, for the call's `warnings`. */
  warnings: string[];
}

/**
 * Reads the call's own control (`providerOptions.bedrockCache`, stripped before the
 * provider sees it) and a call-level `anthropic.cacheControl`: on InvokeModel the
 * `/anthropic` provider would send it as Anthropic's top-level automatic `cache_control`,
 * which Bedrock rejects (`cache_control: Extra inputs are not permitted`, §5 2026-12;
 * UKGovernmentBEIS/inspect_ai #3851), so it is removed and its TTL given to the
 * middleware's block checkpoints; on Converse the provider ignores it, which the caller
 * should know. Copy on write: the caller's params are never changed.
 */
export function prepareCall(params: LanguageModelV3CallOptions, api: BedrockApi | undefined, resolved: ResolvedOptions): PreparedCall {
  const providerOptions = params.providerOptions as Record<string, Record<string, unknown> | undefined> | undefined;
  const own = providerOptions?.[CALL_OPTIONS_KEY];
  let options = resolveCallOptions(resolved, own);
  const warnings: string[] = [];
  let next: SharedV3ProviderOptions | undefined = params.providerOptions;
  if (own !== undefined) {
    const { [CALL_OPTIONS_KEY]: _own, ...rest } = params.providerOptions!;
    next = rest;
  }

  const anthropic = providerOptions?.anthropic;
  const automatic = anthropic?.cacheControl ?? anthropic?.cache_control;
  if (automatic != null && api !== undefined && options.enabled) {
    if (api === 'anthropic-messages') {
      const { cacheControl: _a, cache_control: _b, ...rest } = anthropic!;
      next = { ...next, anthropic: rest as SharedV3ProviderOptions[string] };
      const ttl = (automatic as { ttl?: unknown }).ttl === '1h' ? '1h' : '5m';
      options = { ...options, ttl: { tools: ttl, system: ttl, messages: ttl }, ttlAuto: false };
      warnings.push(
        `The call-level providerOptions.anthropic.cacheControl (Anthropic's automatic caching) is rejected by Bedrock ("cache_control: Extra inputs are not permitted"); it was removed and the middleware placed block checkpoints with ttl ${ttl} instead.`,
      );
    } else {
      warnings.push(
        'The call-level providerOptions.anthropic.cacheControl is ignored by the Converse provider (bedrock(…)); the middleware places the checkpoints (set its ttl option, or providerOptions.bedrockCache.ttl for one call).',
      );
    }
  }
  return { params: next === params.providerOptions ? params : { ...params, providerOptions: next }, options, warnings };
}
