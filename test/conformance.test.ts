import { afterAll, describe, expect, it } from 'vitest';
import { DEFAULT_TOLERANCE, DEFAULT_SLACK } from '../conformance/compare-outcome.js';
import { formatResults, formatTokenErrors } from '../conformance/format-results.js';
import { loadFixtures } from '../conformance/load-fixtures.js';
import { runFixture, type FixtureResult } from '../conformance/run-fixture.js';
import { emulatorTarget } from '../conformance/targets/emulator-target.js';

// Every conformance fixture replayed on the in-process emulator (conformance/README.md). A
// fixture describes Bedrock; a failure here is the emulator disagreeing with Bedrock, unless the
// fixture names a `knownEmulatorGap`, in which case the disagreement itself is asserted (so a
// fix in the emulator turns this test red until the gap note is removed).
const fixtures = loadFixtures();
const target = emulatorTarget();
const results: FixtureResult[] = [];

describe('Bedrock conformance (emulator replay)', () => {
  it('has at least 40 fixtures, at least 10 of them recorded real exchanges', () => {
    expect(fixtures.length).toBeGreaterThanOrEqual(40);
    expect(fixtures.filter((fixture) => fixture.recorded).length).toBeGreaterThanOrEqual(10);
  });

  it('holds real exchanges recorded by at least three public test suites, each pinned to a commit', () => {
    const recorded = fixtures.flatMap((fixture) => (fixture.recorded ? [fixture.recorded] : []));
    expect(new Set(recorded.map((source) => source.repo)).size).toBeGreaterThanOrEqual(3);
    for (const source of recorded) expect(source.commit).toMatch(/^[0-9a-f]{40}$/);
  });

  for (const fixture of fixtures) {
    it(fixture.id, async () => {
      const result = await runFixture(fixture, target, 'replay');
      results.push(result);
      expect(result.verdict, 'the emulator never skips a fixture').not.toBe('skipped');
      if (fixture.knownEmulatorGap) {
        expect(result.differences, `known gap "${fixture.knownEmulatorGap}" seems fixed: remove knownEmulatorGap`).not.toEqual([]);
      } else {
        expect(result.differences).toEqual([]);
      }
    });
  }

  afterAll(() => {
    // The calibration figures: recorded Bedrock counts next to the emulator's (printed, not asserted
    // beyond each fixture's own tolerance).
    console.log(`\nConformance replay on the emulator\n${formatResults(results)}`);
    console.log(
      `\nEmulator token counts vs recorded Bedrock counts (each row's tolerance shown; the default is ±${DEFAULT_TOLERANCE * 100}% or ±${DEFAULT_SLACK} tokens)\n${formatTokenErrors(results)}`,
    );
  });
});
