import { loadFixtures } from './load-fixtures.js';
import { runFixture, type FixtureResult, type Target } from './run-fixture.js';
import type { Fixture } from './schema.js';

/** Options of a conformance run. */
export interface RunConformanceOptions {
  target: Target;
  /** Fixtures to run (default: every fixture under conformance/fixtures). */
  fixtures?: readonly Fixture[];
  /** Only fixtures whose id contains this text. */
  filter?: string;
  /** Distinguishes runs in `{{nonce}}` (default: the start time). */
  runId?: string;
  /** Called after each fixture (progress output). */
  onResult?: (result: FixtureResult) => void;
}

/** Runs fixtures one after the other on a target and returns their results in order. */
export async function runConformance(options: RunConformanceOptions): Promise<FixtureResult[]> {
  const fixtures = (options.fixtures ?? loadFixtures()).filter((fixture) => !options.filter || fixture.id.includes(options.filter));
  const runId = options.runId ?? new Date().toISOString();
  const results: FixtureResult[] = [];
  for (const fixture of fixtures) {
    let result: FixtureResult;
    try {
      result = await runFixture(fixture, options.target, runId);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      result = { id: fixture.id, verdict: 'differ', differences: [`runner error: ${message}`], requests: [], tokenErrors: [], contested: fixture.contested !== undefined, knownEmulatorGap: fixture.knownEmulatorGap };
    }
    results.push(result);
    options.onResult?.(result);
  }
  return results;
}
