/** What the middleware reads of the wrapped model (LanguageModelV3 and V4 alike). */
export interface WrappedModel<Params, GenerateResult, StreamResult> {
  readonly provider: string;
  readonly modelId: string;
  doGenerate(params: Params): PromiseLike<GenerateResult>;
  doStream(params: Params): PromiseLike<StreamResult>;
}

/**
 * The middleware `bedrockCacheMiddleware` returns: a `'v3'` middleware whose functions
 * are generic over the call options and results they pass through (checkpoints and cache
 * usage added, shape kept). So ai 6's `wrapLanguageModel` (`LanguageModelV3Middleware`) and
 * ai 7's (`LanguageModelMiddleware` with V4 call options) both accept it as it is.
 */
export interface BedrockCacheMiddleware {
  readonly specificationVersion: 'v3';
  transformParams: <Params extends object>(options: {
    type: 'generate' | 'stream';
    params: Params;
    model: { readonly provider: string; readonly modelId: string };
  }) => PromiseLike<Params>;
  wrapGenerate: <Params extends object, GenerateResult extends object>(options: {
    doGenerate: () => PromiseLike<GenerateResult>;
    params: Params;
    model: WrappedModel<Params, GenerateResult, unknown>;
  }) => PromiseLike<GenerateResult>;
  wrapStream: <Params extends object, StreamResult extends object>(options: {
    doStream: () => PromiseLike<StreamResult>;
    params: Params;
    model: WrappedModel<Params, unknown, StreamResult>;
  }) => PromiseLike<StreamResult>;
}
