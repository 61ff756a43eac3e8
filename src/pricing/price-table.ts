/**
 * Amazon Bedrock prices of the models that cache, as data: USD per million tokens for
 * uncached input, output, cache reads and cache writes (5m and 1h), each row with its date
 * and source.
 *
 * Why a table of our own rather than `@pydantic/genai-prices` (0.1.8, 2026-09-23, the best
 * maintained price package found; checked in a scratch install, not a dependency):
 * - it ships every provider's data in one 830 KB module (its `index.js`), against a core
 *   that runs in edge runtimes and adds about 6.5 KB to an app (`npm run size`);
 * - its Bedrock rows have no 1h write price except Opus 5.5's, so 1h writes, which our TTL
 *   option produces, would be priced as 5m writes;
 * - it refreshes prices from GitHub at run time when asked (`updatePrices`): a network
 *   fetch a middleware must not make.
 * Its Bedrock data is still the best public source found for the figures, so the rows
 * below come from it (it cites https://aws.amazon.com/bedrock/pricing/ and AWS's price
 * list API) and were checked against the shared doc §4 and the pages named per row.
 *
 * Rows hold the **global** cross-region price. Claude 4.5 and later and Nova 2 cost 10%
 * more through a geographic profile (`us.`, `eu.`, `jp.` …) or in-region (a bare id):
 * `regionalPremium` (Anthropic's "Claude in Amazon Bedrock" page, genai-prices' `regional.*`
 * rows, sam.mehdi.consulting "Saving Money on Bedrock is Hard": "Geographic and in-region
 * inference costs 10% more"). Older models have one price everywhere.
 *
 * Prices change: a user passes overrides to `modelPrices` (or `bedrockCacheMiddleware`'s
 * option for them) rather than waiting for a release.
 */

/** USD per million tokens. */
export interface ModelPrices {
  /** Uncached input (Bedrock's `inputTokens`). */
  input: number;
  /** Output. */
  output: number;
  /** Input read from the cache. */
  cacheRead: number;
  /** Input written to the cache with the 5-minute TTL. */
  cacheWrite5m: number;
  /** Input written with the 1-hour TTL; absent where the model has none (Nova): such writes are priced as 5m. */
  cacheWrite1h?: number;
  /** When the figures were read (YYYY-MM-DD). */
  date: string;
  /** Where they come from. */
  source: string;
}

/** A row of the table: global prices, and the premium of regional endpoints (0.1 = +10%). */
export interface PriceRow extends ModelPrices {
  regionalPremium?: number;
}

const GENAI_PRICES = '@pydantic/genai-prices 0.1.8 AWS rows (from aws.amazon.com/bedrock/pricing and the AWS price list API)';
const DATE = '2026-09-23';
/** The source of every Claude row priced by Anthropic's ratios: no Bedrock 1h figure was found. */
const ONE_HOUR_BY_RATIO = `${GENAI_PRICES}; 1h write 2× input by Anthropic's ratio (no Bedrock figure found)`;

/**
 * Claude prices from the base input price with Anthropic's ratios (shared doc §4: read 0.1×,
 * 5m write 1.25×, 1h write 2×), for the models whose published Bedrock figures follow them.
 */
function claude(input: number, output: number, extra?: Partial<PriceRow>): PriceRow {
  return { input, output, cacheRead: input / 10, cacheWrite5m: input * 1.25, cacheWrite1h: input * 2, date: DATE, source: ONE_HOUR_BY_RATIO, ...extra };
}

/** Nova: reads 0.25×, writes at the input price (no surcharge), no 1h TTL (shared doc §4). */
function nova(input: number, output: number, extra?: Partial<PriceRow>): PriceRow {
  return { input, output, cacheRead: input / 4, cacheWrite5m: input, date: DATE, source: `${GENAI_PRICES}; write = input (shared doc §4)`, ...extra };
}

const TEN_PERCENT = { regionalPremium: 0.1 };

/**
 * Rows keyed by a foundation-model id prefix (no region prefix, no ARN), as in
 * src/model/model-table.ts; the longest matching prefix wins.
 */
export const PRICE_TABLE: Readonly<Record<string, PriceRow>> = {
  // 5m-only generation (model-table.ts): the 1h figure is the ratio, for completeness.
  // One 2026 page (clauder-navi.com) quotes 3.5 Sonnet at $6/$30 on Bedrock (extended access?);
  // genai-prices and the shared doc give $3: kept, unconfirmed.
  'anthropic.claude-3-5-sonnet': claude(3, 15),
  'anthropic.claude-3-5-haiku': claude(0.8, 4),
  'anthropic.claude-3-7-sonnet': claude(3, 15),
  'anthropic.claude-sonnet-4-20250514': claude(3, 15),
  'anthropic.claude-opus-4-20250514': claude(15, 75),
  'anthropic.claude-opus-4-1': claude(15, 75),
  // 4.5 and later: global price, +10% regional (shared doc §4: Sonnet 4.5/4.6 3, Haiku 4.5 1, Opus 4.5/4.6 5)
  'anthropic.claude-sonnet-4-5': claude(3, 15, TEN_PERCENT),
  'anthropic.claude-sonnet-4-6': claude(3, 15, TEN_PERCENT),
  'anthropic.claude-haiku-4-5': claude(1, 5, TEN_PERCENT),
  'anthropic.claude-opus-4-5': claude(5, 25, TEN_PERCENT),
  'anthropic.claude-opus-4-6': claude(5, 25, TEN_PERCENT),
  'anthropic.claude-opus-4-7': claude(5, 25, TEN_PERCENT),
  'anthropic.claude-opus-4-8': claude(5, 25, TEN_PERCENT),
  // shared doc §4: Sonnet 5 / 5.5 $2 input, $0.20 read (Anthropic's page); genai-prices: the same on Bedrock
  'anthropic.claude-sonnet-5': claude(2, 10, TEN_PERCENT),
  'anthropic.claude-opus-5': claude(5, 25, TEN_PERCENT),
  // Not Anthropic's ratios: read 0.05× (shared doc §4 from Anthropic's page; the AWS price list API
  // "Claude Opus 5.5 (Amazon Bedrock Edition)" per genai-prices, with its 1h figure: $8).
  'anthropic.claude-opus-5-5': {
    input: 4,
    output: 20,
    cacheRead: 0.2,
    cacheWrite5m: 5,
    cacheWrite1h: 8,
    date: DATE,
    source: `${GENAI_PRICES}: AWS price list API, "Claude Opus 5.5 (Amazon Bedrock Edition)"`,
    ...TEN_PERCENT,
  },
  'anthropic.claude-fable-5': claude(10, 50, TEN_PERCENT),
  // Read 0.025× (genai-prices: "unique to Fable 5.1 and Mythos 5.1", from Anthropic's pricing page)
  'anthropic.claude-fable-5-1': claude(10, 50, { ...TEN_PERCENT, cacheRead: 0.25 }),

  'amazon.nova-micro': nova(0.035, 0.14),
  'amazon.nova-lite': nova(0.06, 0.24),
  'amazon.nova-pro': nova(0.8, 3.2),
  'amazon.nova-premier': nova(2.5, 12.5),
  // genai-prices: global 0.30, us./eu./jp. 0.33; a bare in-region id has no row there: assumed regional, as for Claude (a guess)
  'amazon.nova-2-lite': nova(0.3, 2.5, TEN_PERCENT),
};
