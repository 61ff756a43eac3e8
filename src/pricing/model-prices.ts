import { foundationModelId, longestPrefix } from '../model/model-profile';
import { PRICE_TABLE, type ModelPrices, type PriceRow } from './price-table';

/**
 * The caller's prices for a model (USD per million tokens): corrections to a built-in row,
 * or a full row for a model the table doesn't know. Keyed like the `models` option: by the
 * model id as passed (an application inference-profile ARN, say) or by a foundation-model
 * id prefix without region prefix (`anthropic.claude-opus-5`).
 */
export type PriceOverride = Partial<ModelPrices>;

/** Whether the id goes through a global cross-region profile (`global.…`, bare or in an ARN). */
const isGlobal = (modelId: string) => modelId.slice(modelId.lastIndexOf('/') + 1).toLowerCase().startsWith('global.');

/** A built-in row at the price of the id's endpoint: global as listed, anything else with the regional premium. */
function atEndpoint(row: PriceRow, modelId: string): ModelPrices {
  const { regionalPremium, ...prices } = row;
  if (!regionalPremium || isGlobal(modelId)) return prices;
  const factor = 1 + regionalPremium;
  const scale = (usd: number) => Math.round(usd * factor * 1e9) / 1e9;
  return {
    ...prices,
    input: scale(prices.input),
    output: scale(prices.output),
    cacheRead: scale(prices.cacheRead),
    cacheWrite5m: scale(prices.cacheWrite5m),
    ...(prices.cacheWrite1h !== undefined && { cacheWrite1h: scale(prices.cacheWrite1h) }),
    source: `${prices.source}; +${Math.round(regionalPremium * 100)}% regional endpoint (not a global. profile)`,
  };
}

/**
 * Bedrock prices of a model, in USD per million tokens, or undefined for a model the table
 * doesn't price (another family, an application inference-profile ARN without an override).
 *
 * Accepts every id form the middleware does: bare foundation ids, cross-region profiles
 * (`us.`, `eu.`, `global.` …) and ARNs. Claude 4.5 and later cost 10% more everywhere but
 * through a `global.` profile (see the table). The caller's override for the id as passed
 * wins over one for a foundation-id prefix; its figures are taken as given (no premium
 * added), the rest come from the built-in row.
 */
export function modelPrices(modelId: string, overrides?: Readonly<Record<string, PriceOverride>>): ModelPrices | undefined {
  const foundationId = foundationModelId(modelId);
  const row = foundationId === undefined ? undefined : longestPrefix(PRICE_TABLE, foundationId);
  const override = overrides?.[modelId] ?? (foundationId === undefined || !overrides ? undefined : longestPrefix(overrides, foundationId));
  const builtIn = row && atEndpoint(row, modelId);
  if (!override) return builtIn;
  const merged = { ...builtIn, ...override };
  const { input, output, cacheRead, cacheWrite5m } = merged;
  if (input === undefined || output === undefined || cacheRead === undefined || cacheWrite5m === undefined) return undefined;
  return {
    ...merged,
    input,
    output,
    cacheRead,
    cacheWrite5m,
    date: override.date ?? (builtIn && !override.source ? builtIn.date : 'caller'),
    source: override.source ?? (builtIn ? `${builtIn.source}; with the caller's overrides` : "the caller's override"),
  };
}
