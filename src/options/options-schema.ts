import { InvalidArgumentError } from '@ai-sdk/provider';
import { z } from 'zod/v4';
import type { LedgerStore } from '../ledger/ledger-store';
import type { CacheDebugEvent } from '../plan/cache-debug-event';
import type { BedrockCacheReport } from '../report/bedrock-cache-report';

const ttl = z.enum(['5m', '1h']);
const flag = z.boolean({ error: 'must be true or false' });
const fn = <T>(message: string) => z.custom<T>((value) => typeof value === 'function', { message });
/** An object whose keys are all optional and whose unknown keys are errors. */
const fields = <S extends z.core.$ZodLooseShape>(shape: S) => z.strictObject(shape).partial();
const family = z.enum(['anthropic', 'nova']);
const ttlOption = z.union([ttl, z.literal('auto'), fields({ tools: ttl, system: ttl, messages: ttl })], {
  error: "must be '5m', '1h' or an object { tools?, system?, messages? } of those, or 'auto'",
});
const cacheOption = fields({ tools: flag, system: flag, messages: flag });
const wholeNumber = z.int({ error: 'must be a whole number ≥ 0' }).min(0, { error: 'must be a whole number ≥ 0' });
const milliseconds = z.number({ error: 'must be a number of milliseconds ≥ 0' }).min(0, { error: 'must be a number of milliseconds ≥ 0' });
const usd = z.number().min(0);
const modelRow = fields({
  family,
  minTokens: wholeNumber,
  ttls: z.array(ttl).min(1, { error: "must list at least one of '5m', '1h'" }),
  cachesTools: flag,
  cachesToolTurns: flag,
  lookbackBlocks: wholeNumber,
  caches: flag,
});
/** A `LedgerStore` (contract C1): its two methods, and a usable `timeoutMs` when it states one (the store guard's budget). */
const ledgerStore = z.custom<LedgerStore>(() => true).superRefine((store, ctx) => {
  const { getNodes, setNodes, timeoutMs } = (typeof store === 'object' && store !== null ? store : {}) as Partial<LedgerStore>;
  if (typeof getNodes !== 'function' || typeof setNodes !== 'function') {
    ctx.addIssue({ code: 'custom', message: 'must be a ledger store: an object with the methods getNodes and setNodes (memoryLedgerStore(), redisLedgerStore(), upstashLedgerStore())' });
  } else if (timeoutMs !== undefined && !(typeof timeoutMs === 'number' && timeoutMs > 0 && Number.isFinite(timeoutMs))) {
    ctx.addIssue({ code: 'custom', path: ['timeoutMs'], message: 'must be a positive number of milliseconds' });
  }
});
const ledgerObject = fields({ store: ledgerStore, maxKeys: wholeNumber, maxBytes: wholeNumber });
const coalesceObject = fields({ maxWaitMs: milliseconds });
const telemetryObject = fields({ openInference: flag });
/** The keys of each option that is an object, for "is not a known option (allowed: …)". */
const OBJECT_KEYS: Record<string, string[]> = {
  models: Object.keys(modelRow.shape),
  ledger: Object.keys(ledgerObject.shape),
  coalesce: Object.keys(coalesceObject.shape),
  telemetry: Object.keys(telemetryObject.shape),
};

const optionsSchema = fields({
  ttl: ttlOption,
  minMessagesToCache: wholeNumber,
  unsupportedModelBehavior: z.enum(['ignore', 'warn', 'raise']),
  cache: cacheOption,
  modelFamily: family,
  models: z.record(z.string().min(1, { error: 'keys must be model ids or id prefixes' }), modelRow),
  repairCheckpoints: flag,
  ledger: z.union([flag, ledgerObject], { error: 'must be true, false or { store?, maxKeys?, maxBytes? }' }),
  coalesce: z.union([flag, coalesceObject], { error: 'must be true, false or { maxWaitMs? }' }),
  telemetry: telemetryObject,
  prices: z.record(
    z.string(),
    fields({ input: usd, output: usd, cacheRead: usd, cacheWrite5m: usd, cacheWrite1h: usd, date: z.string(), source: z.string() }),
  ),
  now: fn<() => number>('must be a function returning milliseconds'),
  onCacheUsage: fn<(report: BedrockCacheReport) => void>('must be a function'),
  retryOnCacheError: flag,
  debug: z.union([flag, fn<(event: CacheDebugEvent) => void>('')], { error: 'must be true, false or a function' }),
});

const callOptionsSchema = fields({
  enabled: flag,
  ttl: ttlOption,
  cache: cacheOption,
  warmUp: z.enum(['system', 'messages']),
});

const CALL_KEYS = Object.keys(callOptionsSchema.shape);

function describeIssue(
  issue: z.core.$ZodIssue,
  topLevel: readonly string[] = Object.keys(optionsSchema.shape),
): { argument: string; message: string } {
  const argument = issue.path.length > 0 ? issue.path.join('.') : 'options';
  switch (issue.code) {
    case 'invalid_value':
      return { argument, message: `must be one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}` };
    case 'unrecognized_keys':
      return {
        argument: issue.keys.length === 1 ? `${argument === 'options' ? '' : `${argument}.`}${issue.keys[0]}` : argument,
        message: `is not a known option (allowed: ${allowedKeys(issue.path, topLevel).join(', ')})`,
      };
    case 'invalid_union': {
      // an object that fails inside: report its own issue (ttl.system, coalesce.maxWaitMs …);
      // else the union's own message (each union states what it allows)
      const nested = issue.errors.flat().find((inner) => inner.path.length > 0 || inner.code === 'unrecognized_keys');
      if (nested) return describeIssue({ ...nested, path: [...issue.path, ...nested.path] }, topLevel);
      return { argument, message: issue.message };
    }
    default:
      return { argument, message: issue.message };
  }
}

function allowedKeys(path: PropertyKey[], topLevel: readonly string[]): string[] {
  if (path.length === 0) return [...topLevel];
  return OBJECT_KEYS[String(path[0])] ?? ['tools', 'system', 'messages'];
}

/** The caller's options, checked; throws InvalidArgumentError naming the first bad option. */
export function parseOptions(options: unknown): z.infer<typeof optionsSchema> {
  const parsed = optionsSchema.safeParse(options ?? {});
  if (parsed.success) return parsed.data;
  const first = parsed.error.issues[0];
  const { argument, message } = first ? describeIssue(first) : { argument: 'options', message: 'is invalid' };
  throw new InvalidArgumentError({
    argument,
    message: `bedrockCacheMiddleware: option ${argument} ${message}.`,
  });
}

/** A call's `providerOptions.bedrockCache`, checked; throws InvalidArgumentError naming the bad value. */
export function parseCallOptions(raw: unknown): z.infer<typeof callOptionsSchema> {
  const parsed = callOptionsSchema.safeParse(raw);
  if (parsed.success) return parsed.data;
  const first = parsed.error.issues[0];
  const { argument, message } = first ? describeIssue(first, CALL_KEYS) : { argument: 'options', message: 'is invalid' };
  const name = `providerOptions.bedrockCache${argument === 'options' ? '' : `.${argument}`}`;
  throw new InvalidArgumentError({ argument: name, message: `bedrockCacheMiddleware: ${name} ${message}.` });
}
