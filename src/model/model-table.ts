/**
 * Prompt-caching capabilities of the Bedrock models, as data.
 *
 * Source: the AWS supported-models table (see ../shared/docs/bedrock-caching.md §3).
 * Where published figures disagree, the row takes the *lowest* minimum, because the
 * minimum is only used to skip checkpoints that are clearly too early to cache:
 * a lower minimum never skips a checkpoint that could have cached.
 */

export type ModelFamily = 'anthropic' | 'nova';
export type CacheTtl = '5m' | '1h';

export interface ModelCapabilities {
  family: ModelFamily;
  /** Minimum cumulative prompt tokens before a checkpoint caches anything. */
  minTokens: number;
  /** TTLs the model accepts, longest first. */
  ttls: readonly CacheTtl[];
  /** Whether a checkpoint may close the tool definitions. */
  cachesTools: boolean;
  /** Whether a checkpoint may sit on a message that holds tool uses or tool results. */
  cachesToolTurns: boolean;
  /**
   * How many content blocks Bedrock looks back from a checkpoint for an earlier
   * cache entry ("simplified cache management", Claude only); 0 = exact checkpoint hits only.
   */
  lookbackBlocks: number;
}

const claude4 = {
  family: 'anthropic',
  ttls: ['1h', '5m'],
  cachesTools: true,
  cachesToolTurns: true,
  lookbackBlocks: 20,
} as const;

const claude3 = { ...claude4, ttls: ['5m'] } as const;

const nova = {
  family: 'nova',
  minTokens: 1000,
  ttls: ['5m'],
  cachesTools: false,
  cachesToolTurns: false,
  lookbackBlocks: 0,
} as const;

/**
 * Rows keyed by a model-id prefix without region prefix or ARN
 * (`anthropic.claude-sonnet-4-5` matches `us.anthropic.claude-sonnet-4-5-20250929-v1:0`).
 * The longest matching prefix wins.
 */
export const MODEL_TABLE: Readonly<Record<string, ModelCapabilities>> = {
  'anthropic.claude-opus-4-5': { ...claude4, minTokens: 4096 },
  'anthropic.claude-opus-4-6': { ...claude4, minTokens: 4096 },
  'anthropic.claude-opus-4-7': { ...claude4, minTokens: 4096 },
  'anthropic.claude-haiku-4-5': { ...claude4, minTokens: 4096 },
  'anthropic.claude-sonnet-4-5': { ...claude4, minTokens: 1024 },
  'anthropic.claude-sonnet-4-6': { ...claude4, minTokens: 1024 },
  'anthropic.claude-3-7-sonnet': { ...claude3, minTokens: 1024 },
  'anthropic.claude-3-5-haiku': { ...claude3, minTokens: 2048 },
  'anthropic.claude-3-5-sonnet-20241022-v2': { ...claude3, minTokens: 1024 },
  'amazon.nova-micro': nova,
  'amazon.nova-lite': nova,
  'amazon.nova-pro': nova,
  'amazon.nova-premier': nova,
  'amazon.nova-2-lite': nova,
};

/**
 * Capabilities assumed when the caller names the family (`modelFamily`) of an id that
 * detection can't read, such as an application inference-profile ARN. The minimum is
 * the family's lowest, so no checkpoint that could cache is ever skipped.
 */
export const FAMILY_DEFAULTS: Readonly<Record<ModelFamily, ModelCapabilities>> = {
  anthropic: { ...claude4, minTokens: 1024 },
  nova,
};
