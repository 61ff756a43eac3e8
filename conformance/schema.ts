import { z } from 'zod/v4';

/**
 * The conformance fixture format: one small JSON file per Bedrock rule, like test262's
 * one-file-per-rule layout. A fixture describes what *Bedrock* does (with its evidence), never
 * what our emulator or middleware happen to do. See conformance/README.md.
 */

/** The Bedrock runtime operations a fixture can call. */
export const API_NAMES = ['converse', 'converse-stream', 'invoke', 'invoke-stream', 'count-tokens'] as const;
export type ApiName = (typeof API_NAMES)[number];

/** Normalised usage fields (Converse naming; InvokeModel's snake_case fields are mapped onto them). */
export const USAGE_FIELDS = [
  'inputTokens',
  'cacheReadInputTokens',
  'cacheWriteInputTokens',
  /** cacheRead + cacheWrite: for a recorded step whose cache state before the recording is unknown. */
  'cachedInputTokens',
  /** inputTokens + cacheRead + cacheWrite. */
  'totalInputTokens',
] as const;
export type UsageField = (typeof USAGE_FIELDS)[number];

const nonNegative = z.number().int().nonnegative();

/**
 * A bound on one usage figure. Every given condition must hold. `approx` (a count recorded from
 * real Bedrock) passes when the observed value is within `tolerance` (relative, default 0.1) *or*
 * within `slack` tokens (absolute, default 10) of it. `sameAs` compares with an earlier step.
 */
export const boundSchema = z
  .strictObject({
    equals: nonNegative.optional(),
    min: nonNegative.optional(),
    max: nonNegative.optional(),
    approx: nonNegative.optional(),
    tolerance: z.number().min(0).max(1).optional(),
    slack: nonNegative.optional(),
    sameAs: z.strictObject({ step: nonNegative, field: z.enum(USAGE_FIELDS) }).optional(),
  })
  .refine((bound) => Object.keys(bound).some((key) => key !== 'tolerance' && key !== 'slack'), 'a bound needs a condition');
export type Bound = z.infer<typeof boundSchema>;

/** An accepted request: HTTP 200, optionally with usage conditions. */
export const acceptedSchema = z.strictObject({
  status: z.literal(200),
  /** Conditions on the normalised usage. */
  usage: z.partialRecord(z.enum(USAGE_FIELDS), boundSchema).optional(),
  /** Keys that must be present / absent in Bedrock's raw usage object (e.g. the twin counters). */
  usageKeys: z.strictObject({ present: z.array(z.string()).optional(), absent: z.array(z.string()).optional() }).optional(),
});
export type Accepted = z.infer<typeof acceptedSchema>;

/** A rejected request (test262's `negative` block): status, error type and the message. */
export const rejectedSchema = z
  .strictObject({
    /** HTTP status, or the statuses Bedrock was seen answering with (e.g. [400, 403]). */
    status: z.union([z.number().int().min(400).max(599), z.array(z.number().int().min(400).max(599)).min(1)]),
    /** `x-amzn-errortype` (without Coral's `:http://…` suffix), or the types seen. */
    errorType: z.union([z.string().min(1), z.array(z.string().min(1)).min(1)]),
    /** The exact message. */
    message: z.string().min(1).optional(),
    /** A regular expression the message must match (when the full text is not known). */
    messagePattern: z.string().min(1).optional(),
  })
  .refine((rejected) => rejected.message !== undefined || rejected.messagePattern !== undefined, 'give message or messagePattern');
export type Rejected = z.infer<typeof rejectedSchema>;

export const expectationSchema = z.union([acceptedSchema, rejectedSchema]);
export type Expectation = z.infer<typeof expectationSchema>;

/** Whether an expectation is a rejection (TypeScript can't narrow on `status` alone). */
export function isRejection(expectation: Expectation): expectation is Rejected {
  return expectation.status !== 200;
}

/** One request of a sequence; `api` and `modelId` default to the fixture's. */
export const requestStepSchema = z.strictObject({
  label: z.string().optional(),
  api: z.enum(API_NAMES).optional(),
  modelId: z.string().min(1).optional(),
  /** The request body, as sent (after the `{{…}}` placeholders are expanded, see README). */
  body: z.unknown(),
  expect: expectationSchema,
});
export type RequestStep = z.infer<typeof requestStepSchema>;

/** Requests sent at the same time (each still has its own expectation). */
export const parallelStepSchema = z.strictObject({ parallel: z.array(requestStepSchema).min(2) });
export type ParallelStep = z.infer<typeof parallelStepSchema>;

/** Let time pass (TTL rules). The emulator's injected clock jumps; a live run waits only with `--wait`. */
export const clockStepSchema = z.strictObject({ advanceClockSeconds: z.number().int().positive() });
export type ClockStep = z.infer<typeof clockStepSchema>;

export const stepSchema = z.union([requestStepSchema, parallelStepSchema, clockStepSchema]);
export type Step = z.infer<typeof stepSchema>;

/** Where a rule comes from: a URL, `owner/repo#N`, or `owner/repo:path@commit`, and when it was seen. */
export const evidenceSchema = z.strictObject({
  source: z.string().min(3),
  seen: z.string().regex(/^\d{4}-\d{2}(-\d{2})?$/, 'YYYY-MM or YYYY-MM-DD'),
  note: z.string().optional(),
});
export type Evidence = z.infer<typeof evidenceSchema>;

/** A rule the sources disagree on: both readings, and the one the emulator follows. */
export const contestedSchema = z.strictObject({
  readings: z
    .array(z.strictObject({ says: z.string().min(1), evidence: z.array(z.string().min(3)).min(1) }))
    .min(2),
  /** Which reading the fixture's expectation (and the emulator) follows, and why. */
  emulatorFollows: z.string().min(1),
});
export type Contested = z.infer<typeof contestedSchema>;

/** For exchanges recorded from real Bedrock: where the recording lives. */
export const recordedSchema = z.strictObject({
  repo: z.string().regex(/^[\w.-]+\/[\w.-]+$/),
  path: z.string().min(1),
  commit: z.string().regex(/^[0-9a-f]{40}$/),
  interactions: z.array(nonNegative).min(1),
  /** Bedrock's answers as recorded (status with usage or message). */
  responses: z.array(z.record(z.string(), z.unknown())).min(1),
  /** A second recording that contributes steps. */
  also: z
    .strictObject({
      path: z.string().min(1),
      commit: z.string().regex(/^[0-9a-f]{40}$/),
      interactions: z.array(nonNegative).min(1),
      responses: z.array(z.record(z.string(), z.unknown())).min(1),
    })
    .optional(),
});
export type Recorded = z.infer<typeof recordedSchema>;

/** A fixture file as written (its id comes from its path). */
export const fixtureFileSchema = z
  .strictObject({
    description: z.string().min(10),
    /** The rule, named after the shared doc's section (`§1 …`), or `recorded`. */
    rule: z.string().min(2),
    api: z.enum(API_NAMES),
    modelId: z.string().min(1),
    /** Single-request form. */
    body: z.unknown().optional(),
    expect: expectationSchema.optional(),
    /** Sequence form. */
    steps: z.array(stepSchema).min(1).optional(),
    evidence: z.array(evidenceSchema).min(1),
    contested: contestedSchema.optional(),
    recorded: recordedSchema.optional(),
    /** The emulator still disagrees with Bedrock here: the replay test asserts the disagreement, so a fix flips it. */
    knownEmulatorGap: z.string().min(3).optional(),
    /** Why a live run must not send this fixture (e.g. it needs an account resource). */
    liveSkip: z.string().min(3).optional(),
  })
  .refine((file) => (file.steps === undefined) === (file.expect !== undefined && file.body !== undefined), {
    message: 'give either body + expect or steps',
  });
export type FixtureFile = z.infer<typeof fixtureFileSchema>;

/** A loaded fixture: the file plus its id (its path under fixtures/, without `.json`). */
export type Fixture = FixtureFile & { id: string; file: string };

/**
 * Validates one fixture file's JSON. Returns the fixture or the list of problems
 * (`path: message`), so a loader can report every broken file at once.
 */
export function validateFixture(json: unknown, id: string, file: string): { ok: true; fixture: Fixture } | { ok: false; errors: string[] } {
  const parsed = fixtureFileSchema.safeParse(json);
  if (!parsed.success) {
    return { ok: false, errors: parsed.error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`) };
  }
  const errors: string[] = [];
  if (!/^[a-z0-9-]+\/[a-z0-9.-]+$/.test(id)) errors.push(`id "${id}": use fixtures/<section>/<rule>.json in kebab-case`);
  const steps = parsed.data.steps ?? [];
  let requestIndex = 0;
  for (const step of steps) {
    const requests = 'parallel' in step ? step.parallel : 'body' in step ? [step] : [];
    for (const request of requests) {
      if (!isRejection(request.expect)) {
        for (const [field, bound] of Object.entries(request.expect.usage ?? {}) as Array<[string, Bound]>) {
          if (bound?.sameAs && bound.sameAs.step >= requestIndex) {
            errors.push(`step ${requestIndex} ${field}: sameAs must name an earlier request`);
          }
        }
      }
      requestIndex++;
    }
  }
  if (parsed.data.recorded && parsed.data.rule !== 'recorded') errors.push('a recorded fixture has rule "recorded"');
  return errors.length > 0 ? { ok: false, errors } : { ok: true, fixture: { ...parsed.data, id, file } };
}
