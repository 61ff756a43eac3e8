import { accessSync, constants, mkdirSync, mkdtempSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { createInterface } from 'node:readline/promises';
import { parseArgs } from 'node:util';
import { countTokensRequests, countTokensSweep, formatCountRows } from './count-tokens-sweep.js';
import { estimateCost } from './estimate-cost.js';
import { formatResults, formatTokenErrors, verdictLabel } from './format-results.js';
import { DEFAULT_FIXTURES_DIR, loadFixtures } from './load-fixtures.js';
import { fixtureSteps, type FixtureResult } from './run-fixture.js';
import { runConformance } from './run-conformance.js';
import { emulatorTarget } from './targets/emulator-target.js';
import { liveTarget } from './targets/live-target.js';

const USAGE = `npm run conformance [-- options]

Replays the conformance fixtures on the in-process emulator (default) or sends them to real
Amazon Bedrock (--live) with the AWS SDK's default credential, region and endpoint chains.

  --live             send to Bedrock (prints the request count and a cost bound, then asks)
  --yes              don't ask for confirmation
  --wait             really wait through TTL steps (up to 30 minutes); otherwise they are skipped
  --count-tokens     with --live: instead of the fixtures, count every accepted Claude prompt of the
                     fixtures with Bedrock's CountTokens and with the emulator's (no inference)
  --filter TEXT      only fixtures whose id contains TEXT
  --fixtures DIR     fixture directory (default: conformance/fixtures)
  --out FILE         where to write the JSON report (default: a new folder in the system's temporary
                     directory, never the current one; the path is printed). --report is the old name
  --help`;

/** The report a user can attach to an issue: no credentials, no request bodies (they are the fixtures). */
function buildReport(results: readonly FixtureResult[], meta: Record<string, unknown>) {
  return {
    tool: 'ai-sdk-bedrock-cache conformance',
    ...meta,
    summary: {
      fixtures: results.length,
      agree: results.filter((result) => result.verdict === 'agree').length,
      differ: results.filter((result) => result.verdict === 'differ').length,
      skipped: results.filter((result) => result.verdict === 'skipped').length,
    },
    results: results.map((result) => ({
      id: result.id,
      verdict: result.verdict,
      ...(result.reason ? { reason: result.reason } : {}),
      ...(result.knownEmulatorGap ? { knownEmulatorGap: result.knownEmulatorGap } : {}),
      differences: result.differences,
      requests: result.requests.map((request) => ({
        label: request.label,
        api: request.api,
        modelId: request.modelId,
        status: request.observed.status,
        ...(request.observed.errorType ? { errorType: request.observed.errorType, message: request.observed.message } : {}),
        ...(request.observed.rawUsage ? { usage: request.observed.rawUsage } : {}),
      })),
      tokenErrors: result.tokenErrors,
    })),
  };
}

/** Asks on the terminal unless `yes`; never sends from a non-interactive shell without `--yes`. */
async function confirm(yes: boolean, output: (line: string) => void, question: string): Promise<boolean> {
  if (yes) return true;
  if (!process.stdin.isTTY) {
    output('Not a terminal: pass --yes to send.');
    return false;
  }
  const readline = createInterface({ input: process.stdin, output: process.stdout });
  const answer = await readline.question(`${question} [y/N] `);
  readline.close();
  if (/^y(es)?$/i.test(answer.trim())) return true;
  output('Nothing sent.');
  return false;
}

/**
 * Where the report goes: `--out` as given (its folder is created), else (`path` undefined) a
 * fresh folder under the system's temporary directory made when the report is written, so a run
 * leaves nothing in the working tree. Returns an error text instead when `--out` can't be
 * written, before anything runs (or is paid for).
 */
function checkOut(out: string | undefined): { path: string | undefined } | { error: string } {
  if (out === undefined) return { path: undefined };
  const path = resolve(out);
  try {
    if (out.endsWith('/') || (statIfAny(path)?.isDirectory() ?? false)) return { error: `--out ${out}: is a directory; give a file name` };
    mkdirSync(dirname(path), { recursive: true });
    accessSync(dirname(path), constants.W_OK);
    return { path };
  } catch (error) {
    return { error: `--out ${out}: can't write there (${error instanceof Error ? error.message : String(error)})` };
  }
}

/** Writes the report (see `checkOut`) and returns its path. */
function writeReport(path: string | undefined, started: Date, report: unknown): string {
  const target = path ?? join(mkdtempSync(join(tmpdir(), 'bedrock-conformance-')), `conformance-report-${started.toISOString().replace(/[:.]/g, '-')}.json`);
  writeFileSync(target, `${JSON.stringify(report, null, 2)}\n`);
  return target;
}

function statIfAny(path: string) {
  try {
    return statSync(path);
  } catch {
    return undefined;
  }
}

/** Whether a run passed: nothing differs, except known emulator gaps on the emulator. */
function passed(results: readonly FixtureResult[], live: boolean): boolean {
  return results.every((result) => result.verdict !== 'differ' || (!live && result.knownEmulatorGap !== undefined));
}

/** The command. Returns the exit code. */
export async function main(argv: readonly string[], output: (line: string) => void = (line) => console.log(line)): Promise<number> {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      live: { type: 'boolean', default: false },
      yes: { type: 'boolean', default: false },
      wait: { type: 'boolean', default: false },
      'count-tokens': { type: 'boolean', default: false },
      filter: { type: 'string' },
      fixtures: { type: 'string' },
      out: { type: 'string' },
      report: { type: 'string' },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    output(USAGE);
    return 0;
  }
  const all = loadFixtures(values.fixtures ? resolve(values.fixtures) : DEFAULT_FIXTURES_DIR);
  const fixtures = all.filter((fixture) => !values.filter || fixture.id.includes(values.filter));
  const started = new Date();
  const out = checkOut(values.out ?? values.report);
  if ('error' in out) {
    output(out.error);
    return 2;
  }

  if (!values.live) {
    output(`Replaying ${fixtures.length} fixtures on the in-process emulator`);
    const results = await runConformance({ target: emulatorTarget(), fixtures, runId: 'replay' });
    output(formatResults(results));
    output(`\nRecorded token counts vs the emulator's\n${formatTokenErrors(results)}`);
    const reportPath = writeReport(out.path, started, buildReport(results, { target: 'emulator', date: started.toISOString() }));
    output(`\nReport: ${reportPath}`);
    return passed(results, false) ? 0 : 1;
  }

  const target = liveTarget({
    wait: values.wait,
    onRetry: (request, attempt, delay, observed) =>
      output(`  throttled (${observed.errorType ?? observed.status}) on ${request.modelId}: retry ${attempt} in ${Math.round(delay)} ms`),
  });
  let region: string;
  try {
    region = await target.client.config.region();
  } catch (error) {
    output(`No AWS region (${error instanceof Error ? error.message : String(error)}): set AWS_REGION or a profile's region.`);
    return 2;
  }
  const endpoint = process.env.AWS_ENDPOINT_URL_BEDROCK_RUNTIME ?? process.env.AWS_ENDPOINT_URL ?? `https://bedrock-runtime.${region}.amazonaws.com`;
  if (values['count-tokens']) {
    const count = countTokensRequests(fixtures, started.toISOString()).length;
    output(`CountTokens sweep against ${endpoint} (region ${region}): ${count} CountTokens requests (no inference runs).`);
    if (!(await confirm(values.yes, output, 'Send these CountTokens requests to Bedrock?'))) return 2;
    const rows = await countTokensSweep(fixtures, await target.open(), await emulatorTarget().open(), started.toISOString());
    target.client.destroy();
    output(formatCountRows(rows, 'Bedrock', 'emulator'));
    const reportPath = writeReport(out.path, started, { tool: 'ai-sdk-bedrock-cache conformance', target: 'live-count-tokens', date: started.toISOString(), region, endpoint: new URL(endpoint).host, rows });
    output(`\nReport: ${reportPath}`);
    return 0;
  }
  const sendable = fixtures.filter((fixture) => !fixture.liveSkip && (values.wait || !fixtureSteps(fixture).some((step) => 'advanceClockSeconds' in step)));
  const cost = estimateCost(sendable);
  const waitSeconds = sendable.flatMap(fixtureSteps).reduce((sum, step) => sum + ('advanceClockSeconds' in step ? step.advanceClockSeconds : 0), 0);
  output(`Live conformance run against ${endpoint} (region ${region})`);
  output(`${sendable.length} of ${fixtures.length} fixtures, ${cost.requests} requests${waitSeconds > 0 ? `, ${Math.round(waitSeconds / 60)} minutes of waiting` : ''}.`);
  output(
    `Cost: at most $${cost.usd.toFixed(2)} (input at most $${cost.inputUsd.toFixed(2)}; the rest is output of requests without maxTokens, bounded by the model's maximum), likely about $${cost.likelyUsd.toFixed(2)}.`,
  );
  output('Prices: the library\'s price table (src/pricing, at each endpoint\'s price), else AWS Bedrock on-demand pricing as quoted in conformance/estimate-cost.ts.');
  if (!(await confirm(values.yes, output, 'Send these requests to Bedrock?'))) return 2;
  const results = await runConformance({
    target,
    fixtures,
    runId: started.toISOString(),
    onResult: (result) => output(`${verdictLabel(result).padEnd(8)} ${result.id}${result.verdict === 'agree' ? '' : `  ${result.reason ?? result.differences[0] ?? ''}`}`),
  });
  target.client.destroy();
  output(`\n${formatResults(results)}`);
  output(`\nRecorded token counts vs Bedrock's\n${formatTokenErrors(results)}`);
  const sdk = (await import('@aws-sdk/client-bedrock-runtime/package.json', { with: { type: 'json' } })).default as { version: string };
  const meta = { target: 'live', date: started.toISOString(), region, endpoint: new URL(endpoint).host, awsSdk: sdk.version, node: process.version, costBoundUsd: Number(cost.usd.toFixed(4)) };
  const reportPath = writeReport(out.path, started, buildReport(results, meta));
  output(`\nReport: ${reportPath} (attach it to an issue: it holds verdicts, statuses, error texts and usage, no credentials or prompts)`);
  return passed(results, true) ? 0 : 1;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (error: unknown) => {
      console.error(error instanceof Error ? error.message : error);
      process.exit(2);
    },
  );
}
