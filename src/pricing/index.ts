/** Bedrock prices as data and the input cost of cache usage (edge-safe: no Node APIs). */
export { cacheCost } from './cache-cost';
export type { CacheCost, CacheCostUsage } from './cache-cost';
export { modelPrices } from './model-prices';
export type { PriceOverride } from './model-prices';
export { PRICE_TABLE } from './price-table';
export type { ModelPrices, PriceRow } from './price-table';
