export { bedrockCacheMiddleware, type BedrockCacheMiddleware } from './bedrock-cache-middleware';
export { BedrockCacheUnsupportedModelError } from './bedrock-cache-unsupported-model-error';
export type { BedrockCacheOptions, CacheDebugEvent, CacheSection } from './options';
export type { PlanDecision, CheckpointRole } from './plan/plan-checkpoints';
export type { ModelFamily, CacheTtl } from './model/model-table';
export { getBedrockCacheUsage, type CacheUsageSource } from './usage/get-bedrock-cache-usage';
export type { BedrockCacheUsage, CacheUsageReport, CacheDetails } from './usage/read-cache-usage';
