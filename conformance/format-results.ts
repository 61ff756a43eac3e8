import type { FixtureResult } from './run-fixture.js';

const pad = (text: string, width: number) => (text.length >= width ? text : text + ' '.repeat(width - text.length));

/** The verdict as printed: a known emulator gap that still differs is expected, and says so. */
export function verdictLabel(result: FixtureResult): string {
  if (result.verdict === 'differ' && result.knownEmulatorGap) return 'differ (known gap)';
  if (result.verdict === 'agree' && result.knownEmulatorGap) return 'agree (gap fixed?)';
  return result.verdict;
}

/** The per-fixture table: verdict, id, and the first difference or the skip reason. */
export function formatResults(results: readonly FixtureResult[]): string {
  const width = Math.max(...results.map((result) => result.id.length), 10);
  const lines = results.map((result) => {
    const detail = result.verdict === 'skipped' ? (result.reason ?? '') : (result.differences[0] ?? '');
    const more = result.differences.length > 1 ? ` (+${result.differences.length - 1} more)` : '';
    return `${pad(verdictLabel(result), 18)} ${pad(result.id, width)} ${detail}${more}`.trimEnd();
  });
  const count = (verdict: FixtureResult['verdict']) => results.filter((result) => result.verdict === verdict).length;
  lines.push(`${results.length} fixtures: ${count('agree')} agree, ${count('differ')} differ, ${count('skipped')} skipped`);
  return lines.join('\n');
}

/** Signed relative error, in percent, of `observed` against `expected`. */
export function relativeError(expected: number, observed: number): number {
  return expected === 0 ? (observed === 0 ? 0 : 100) : ((observed - expected) / expected) * 100;
}

/** The calibration table: every recorded count next to the target's, with the signed error. */
export function formatTokenErrors(results: readonly FixtureResult[]): string {
  const rows = results.flatMap((result) =>
    result.tokenErrors.map((error) => ({
      id: `${result.id} #${error.request}`,
      field: error.field,
      expected: error.expected,
      observed: error.observed,
      percent: relativeError(error.expected, error.observed),
      within: Math.abs(error.observed - error.expected) <= Math.max(error.slack, error.tolerance * error.expected),
      tolerance: `±${Math.round(error.tolerance * 100)}% or ±${error.slack}`,
    })),
  );
  if (rows.length === 0) return '(no recorded token counts)';
  const width = Math.max(...rows.map((row) => row.id.length));
  const lines = [`${pad('fixture', width)} ${pad('field', 22)} ${pad('recorded', 8)} ${pad('target', 8)} ${pad('error', 8)} tolerance`];
  for (const row of rows) {
    const sign = row.percent > 0 ? '+' : '';
    const error = `${sign}${row.percent.toFixed(1)}%`;
    lines.push(`${pad(row.id, width)} ${pad(row.field, 22)} ${pad(String(row.expected), 8)} ${pad(String(row.observed), 8)} ${pad(error, 8)} ${row.tolerance}${row.within ? '' : '  OUTSIDE'}`);
  }
  const large = rows.filter((row) => row.expected >= 100);
  if (large.length > 0) {
    const worst = Math.max(...large.map((row) => Math.abs(row.percent)));
    const mean = large.reduce((sum, row) => sum + Math.abs(row.percent), 0) / large.length;
    lines.push(`counts ≥ 100 tokens: mean |error| ${mean.toFixed(1)}%, worst ${worst.toFixed(1)}% (${large.length} counts)`);
  }
  return lines.join('\n');
}
