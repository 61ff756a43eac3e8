import { createHash } from 'node:crypto';
import { compareOutcome, type TokenError } from './compare-outcome.js';
import { expandPlaceholders } from './expand-placeholders.js';
import type { Fixture, RequestStep, Step } from './schema.js';
import { parseResponse, type Observed, type Usage, type WireRequest, type WireResponse } from './wire.js';

/** One fixture's connection to a Bedrock (the emulator, or the real service). */
export interface TargetSession {
  /** Sends one request and returns Bedrock's raw answer. */
  send(request: WireRequest): Promise<WireResponse>;
  /** Lets `seconds` pass; absent when the target cannot (the fixture is then skipped). */
  advanceClock?(seconds: number): Promise<void>;
  /** Called after each sequential request or parallel group has been answered. */
  settle?(): Promise<void>;
  close?(): Promise<void>;
}

/** Where fixtures are sent. */
export interface Target {
  /** `emulator`, `live`, … (printed and written to the report). */
  name: string;
  /** A session for one fixture (or, without one, for ad-hoc requests such as the CountTokens sweep). */
  open(fixture?: Fixture): Promise<TargetSession>;
  /** Why this target must not run the fixture at all, if so. */
  skipFixture?(fixture: Fixture): string | undefined;
  /** Whether an answer means "this account / region lacks the model" (live only): the reason, or undefined. */
  unavailable?(observed: Observed): string | undefined;
}

/** The outcome of one request of a fixture. */
export interface RequestResult {
  label: string;
  api: WireRequest['api'];
  modelId: string;
  observed: Observed;
  differences: string[];
}

/** The outcome of one fixture on one target. */
export interface FixtureResult {
  id: string;
  verdict: 'agree' | 'differ' | 'skipped';
  /** Why it was skipped. */
  reason?: string;
  differences: string[];
  requests: RequestResult[];
  /** Recorded counts next to the target's (approx bounds). */
  tokenErrors: Array<TokenError & { request: number }>;
  knownEmulatorGap?: string;
  contested: boolean;
}

/** The fixture as a list of steps (the single-request form is one step). */
export function fixtureSteps(fixture: Fixture): Step[] {
  return fixture.steps ?? [{ body: fixture.body, expect: fixture.expect ?? { status: 200 } }];
}

/** The per-run, per-fixture value of `{{nonce}}`. */
export function fixtureNonce(runId: string, fixtureId: string): string {
  return `run-${createHash('sha256').update(`${runId}|${fixtureId}`).digest('hex').slice(0, 10)}`;
}

/** Runs one fixture on a target: every step in order, parallel groups at once, compared as it goes. */
export async function runFixture(fixture: Fixture, target: Target, runId: string): Promise<FixtureResult> {
  const base = { id: fixture.id, knownEmulatorGap: fixture.knownEmulatorGap, contested: fixture.contested !== undefined };
  const skip = target.skipFixture?.(fixture);
  if (skip) return { ...base, verdict: 'skipped', reason: skip, differences: [], requests: [], tokenErrors: [] };

  const steps = fixtureSteps(fixture);
  const session = await target.open(fixture);
  if (!session.advanceClock && steps.some((step) => 'advanceClockSeconds' in step)) {
    await session.close?.();
    return { ...base, verdict: 'skipped', reason: 'needs the clock to advance (a live run waits only with --wait)', differences: [], requests: [], tokenErrors: [] };
  }

  const nonce = fixtureNonce(runId, fixture.id);
  const requests: RequestResult[] = [];
  const usages: Array<Usage | undefined> = [];
  const tokenErrors: FixtureResult['tokenErrors'] = [];
  let unavailable: string | undefined;

  const sendOne = async (step: RequestStep, index: number): Promise<Omit<RequestResult, 'differences'> & { step: RequestStep; index: number }> => {
    const request: WireRequest = {
      api: step.api ?? fixture.api,
      modelId: step.modelId ?? fixture.modelId,
      body: expandPlaceholders(step.body, nonce),
    };
    const observed = parseResponse(request.api, await session.send(request));
    return { label: step.label ?? `#${index}`, api: request.api, modelId: request.modelId, observed, step, index };
  };

  try {
    for (const step of steps) {
      if ('advanceClockSeconds' in step) {
        await session.advanceClock?.(step.advanceClockSeconds);
        continue;
      }
      const group = 'parallel' in step ? step.parallel : [step];
      const first = usages.length;
      const answers = await Promise.all(group.map((request, offset) => sendOne(request, first + offset)));
      // usage of a parallel group becomes visible to `sameAs` only after the whole group
      for (const answer of answers) {
        const { differences, tokenErrors: errors } = compareOutcome(answer.step.expect, answer.observed, usages);
        if (differences.length > 0) unavailable ??= target.unavailable?.(answer.observed);
        requests.push({ label: answer.label, api: answer.api, modelId: answer.modelId, observed: answer.observed, differences });
        tokenErrors.push(...errors.map((error) => ({ ...error, request: answer.index })));
      }
      usages.push(...answers.map((answer) => answer.observed.usage));
      await session.settle?.();
    }
  } finally {
    await session.close?.();
  }

  if (unavailable) return { ...base, verdict: 'skipped', reason: unavailable, differences: [], requests, tokenErrors };
  const differences = requests.flatMap((request) => request.differences.map((difference) => `${request.label}: ${difference}`));
  return { ...base, verdict: differences.length === 0 ? 'agree' : 'differ', differences, requests, tokenErrors };
}
