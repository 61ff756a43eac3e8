/**
 * Prompt-caching capabilities of the Bedrock models, as data.
 *
 * Detection is by family, not by exact id: every Claude id caches unless it is on the
 * short deny-list below, every Nova text model caches, and a model newer than this table
 * gets its family's safe defaults (see FAMILY_DEFAULTS). Rows only refine the figures.
 * Source of every figure: ../shared/docs/bedrock-caching.md §3 (AWS's supported-models
 * table, LiteLLM's Bedrock table, live measurements named there). Where published figures
 * disagree, a row takes the *lowest* minimum: the minimum only decides whether to skip a
 * checkpoint that is clearly too early to cache, and a lower one never skips a checkpoint
 * that could have cached.
 */

export type ModelFamily = 'anthropic' | 'nova';
export type CacheTtl = '5m' | '1h';

/** Each TTL's length in ms (shared doc §1: 5 minutes, 1 hour). */
export const TTL_MS: Readonly<Record<CacheTtl, number>> = { '5m': 5 * 60_000, '1h': 60 * 60_000 };

export interface ModelCapabilities {
  family: ModelFamily;
  /** Minimum cumulative prompt tokens before a checkpoint caches anything. */
  minTokens: number;
  /** TTLs the model accepts, longest first (always includes 5m). */
  ttls: readonly CacheTtl[];
  /** Whether a checkpoint may close the tool definitions. */
  cachesTools: boolean;
  /** Whether a checkpoint may sit on a message at all (Nova 2 Lite may lose this, see §3). */
  cachesMessages: boolean;
  /** Whether a checkpoint may sit on a message that holds tool uses or tool results. */
  cachesToolTurns: boolean;
  /**
   * How many content blocks Bedrock looks back from a checkpoint for an earlier
   * cache entry ("simplified cache management", Claude only); 0 = exact checkpoint hits only.
   */
  lookbackBlocks: number;
  /**
   * Set when some figure has no direct evidence for this model (a row inferred from its
   * family, or a TTL nobody measured yet): what was inferred, for `debug`. A 1h TTL that
   * Bedrock then rejects is retried with 5m and not sent again (see recovery/).
   */
  inferred?: string;
}

/** A row: the capabilities, or `false` for a model that doesn't cache on Bedrock. */
export type ModelRow = ModelCapabilities | false;

const claude = {
  family: 'anthropic',
  ttls: ['1h', '5m'],
  cachesTools: true,
  cachesMessages: true,
  cachesToolTurns: true,
  // §1 "simplified cache management": about 20 content blocks
  lookbackBlocks: 20,
} as const;

/** Claude before 4.5: Bedrock rejects a 1h TTL ("Extra inputs are not permitted", §1 2026-12). */
const claude5mOnly = { ...claude, ttls: ['5m'] } as const;

/** No direct evidence for or against 1h (§3: "Opus 4.7, Opus 5.x, Sonnet 5.x, Fable: no direct evidence"). */
const claude1hUnconfirmed = { ...claude, inferred: '1h TTL not confirmed for this model' } as const;

const nova = {
  family: 'nova',
  // §3: 1,000 in AWS's table (the agent toolkit says 1,024 / 1,536: the lowest is taken)
  minTokens: 1000,
  ttls: ['5m'],
  // §3: a cachePoint in toolConfig.tools is rejected; a message checkpoint still caches the tools
  cachesTools: false,
  cachesMessages: true,
  // §3 / §9: LangChain places none on Nova messages holding toolUse/toolResult
  cachesToolTurns: false,
  lookbackBlocks: 0,
} as const;

/**
 * Rows keyed by a model-id prefix without region prefix or ARN
 * (`anthropic.claude-sonnet-4-5` matches `us.anthropic.claude-sonnet-4-5-20250929-v1:0`).
 * The longest matching prefix wins; users add or override rows with the `models` option.
 */
export const MODEL_TABLE: Readonly<Record<string, ModelRow>> = {
  // Claude models that don't cache on Bedrock (§3): nothing is placed for them.
  'anthropic.claude-v2': false,
  'anthropic.claude-instant': false,
  'anthropic.claude-3-haiku': false,
  'anthropic.claude-3-sonnet': false,
  'anthropic.claude-3-opus': false,
  'anthropic.claude-3-5-sonnet-20240620': false,

  'anthropic.claude-3-5-sonnet-20241022-v2': { ...claude5mOnly, minTokens: 1024 },
  'anthropic.claude-3-5-haiku': { ...claude5mOnly, minTokens: 2048 },
  'anthropic.claude-3-7-sonnet': { ...claude5mOnly, minTokens: 1024 },
  'anthropic.claude-sonnet-4-20250514': { ...claude5mOnly, minTokens: 1024 },
  'anthropic.claude-opus-4-20250514': { ...claude5mOnly, minTokens: 1024 },
  'anthropic.claude-opus-4-1': { ...claude5mOnly, minTokens: 1024 },
  // 1h GA for the 4.5 generation (AWS What's New, 2026-01-26)
  'anthropic.claude-sonnet-4-5': { ...claude, minTokens: 1024 },
  'anthropic.claude-haiku-4-5': { ...claude, minTokens: 4096 },
  'anthropic.claude-opus-4-5': { ...claude, minTokens: 4096 },
  // 1h measured on 4.6 (opencode #23108) and in AWS's agent toolkit; Sonnet 4.6: 1,024 (other copies 2,048)
  'anthropic.claude-sonnet-4-6': { ...claude, minTokens: 1024 },
  'anthropic.claude-opus-4-6': { ...claude, minTokens: 4096 },
  'anthropic.claude-opus-4-7': { ...claude1hUnconfirmed, minTokens: 4096 },
  // 1,024 per LiteLLM's Bedrock table (2026-10); 1h seen live on Opus 4.8 (BerriAI/litellm #30454)
  'anthropic.claude-opus-4-8': { ...claude, minTokens: 1024 },
  'anthropic.claude-sonnet-5': { ...claude1hUnconfirmed, minTokens: 1024 }, // also sonnet-5-5
  // 512 for Opus 5 and Fable 5 (LiteLLM's Bedrock table); Opus 5.5 / Fable 5.1 unpublished: 512
  'anthropic.claude-opus-5': { ...claude1hUnconfirmed, minTokens: 512 }, // also opus-5-5
  'anthropic.claude-fable-5': { ...claude1hUnconfirmed, minTokens: 512 }, // also fable-5-1

  'amazon.nova-micro': nova,
  'amazon.nova-lite': nova,
  'amazon.nova-pro': nova,
  'amazon.nova-premier': nova,
  // §3: contested (zeroclaw-labs/zeroclaw #8720: message checkpoints sporadically rejected with
  // "extraneous key [cachePoint]"): cached, and recovery stops message checkpoints after that rejection.
  'amazon.nova-2-lite': nova,
};

/**
 * Capabilities of a model of a family this table has no row for: a Claude or Nova newer
 * than this version, or an id only the caller can name (`modelFamily`: application
 * inference-profile ARNs, custom ids). The minimum is the family's lowest, so no
 * checkpoint that could cache is skipped; Claude's 1h is tried when configured and
 * dropped for that model on Bedrock's first rejection.
 */
export const FAMILY_DEFAULTS: Readonly<Record<ModelFamily, ModelCapabilities>> = {
  anthropic: {
    ...claude,
    minTokens: 512,
    inferred: "not in this version's table: the Claude family's lowest minimum (512) and an unconfirmed 1h TTL",
  },
  nova: { ...nova, inferred: "not in this version's table: the Nova family's figures" },
};

/**
 * Which family a foundation-model id belongs to, from its name alone. Claude: every
 * `anthropic.claude*` id. Nova: the text models (`amazon.nova-*`), not the image, video
 * and speech models (Canvas, Reel, Sonic), which take no Converse text prompt to cache.
 */
export function detectFamily(foundationId: string): ModelFamily | undefined {
  if (foundationId.startsWith('anthropic.claude')) return 'anthropic';
  if (/^amazon\.nova-/.test(foundationId) && !/(?:canvas|reel|sonic)/.test(foundationId)) return 'nova';
  return undefined;
}
