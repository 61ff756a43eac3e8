/**
 * `npm run bench:cache [-- --json] [--only chat,agent] [--lookback 10]`
 *
 * Replays every workload once per placement strategy through the real AI SDK and Bedrock
 * provider against the in-process emulator, prices each request (src/pricing), computes the
 * clairvoyant and lower bounds, and
 * prints a table per workload and a suite summary (Markdown). Writes the same tables, the
 * JSON summary and a chart to bench/results/. With --json, the last stdout line is the
 * JSON summary.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { measureSuite } from './measure';
import { chartSvg, defaultsTable, definitions, jsonSummary, restTable, suiteTable, summarizeSuite, workloadTable } from './report';
import { suite } from './workloads';

(globalThis as { AI_SDK_LOG_WARNINGS?: boolean }).AI_SDK_LOG_WARNINGS = false;

const args = process.argv.slice(2);
const json = args.includes('--json');
const onlyIndex = args.indexOf('--only');
const only = onlyIndex >= 0 ? new Set((args[onlyIndex + 1] ?? '').split(',')) : undefined;
const lookbackIndex = args.indexOf('--lookback');
const lookbackBlocks = lookbackIndex >= 0 ? Number(args[lookbackIndex + 1]) : undefined;
if (lookbackBlocks !== undefined && !(Number.isInteger(lookbackBlocks) && lookbackBlocks >= 0)) {
  console.error('--lookback takes a whole number of blocks');
  process.exit(2);
}
// Only the default, complete run updates bench/results/.
const write = !args.includes('--no-write') && only === undefined && lookbackBlocks === undefined;

const workloads = suite().filter((w) => !only || only.has(w.name));
if (workloads.length === 0) {
  console.error(`no workload matches; known: ${suite().map((w) => w.name).join(', ')}`);
  process.exit(2);
}

const versionOf = (name: string): string => {
  const path = fileURLToPath(new URL(`../../node_modules/${name}/package.json`, import.meta.url));
  return (JSON.parse(readFileSync(path, 'utf8')) as { version: string }).version;
};
const versions = `ai ${versionOf('ai')}, @ai-sdk/amazon-bedrock ${versionOf('@ai-sdk/amazon-bedrock')}, Node ${process.versions.node}`;

const started = performance.now();
const results = await measureSuite(workloads, (line) => console.error(line), lookbackBlocks === undefined ? {} : { lookbackBlocks });
const summary = summarizeSuite(results);
const elapsed = ((performance.now() - started) / 1000).toFixed(1);

const markdown = [
  `Made by \`npm run bench:cache${lookbackBlocks === undefined ? '' : ` -- --lookback ${lookbackBlocks}`}\` (${versions}; emulator in-process, deterministic${lookbackBlocks === undefined ? '' : `; Claude lookback ${lookbackBlocks} blocks instead of 20`}).`,
  '',
  suiteTable(results, summary),
  '',
  'Targets:',
  '',
  ...summary.targets.map((t) => `- ${t.met ? '✅' : '❌'} ${t.name}: ${t.detail}`),
  '',
  "Ours as users run it (default options: `ttl: 'auto'`, coalescing and the ledger on) against the clairvoyant bound that may also write 1h (the cheapest of the bound with 5m writes, with 1h writes, and with the TTL chosen per entry in hindsight, src/economics/clairvoyant-bound-with-hour.ts), input USD:",
  '',
  defaultsTable(results),
  '',
  'Where ours pays more than the clairvoyant bound (negative: less), split exactly into the reads it missed and the writes it added:',
  '',
  restTable(results),
  '',
  ...results.flatMap((r) => [workloadTable(r), '']),
  definitions(results),
  '',
].join('\n');

console.log(markdown);
console.error(`${results.length} workloads in ${elapsed} s`);

if (write) {
  const dir = fileURLToPath(new URL('../results/', import.meta.url));
  mkdirSync(dir, { recursive: true });
  writeFileSync(`${dir}cache.md`, markdown);
  writeFileSync(`${dir}cache.json`, `${JSON.stringify(jsonSummary(results, summary), null, 2)}\n`);
  writeFileSync(
    `${dir}cache.svg`,
    chartSvg(results, `npm run bench:cache — ${versions}. Input tokens only, priced with src/pricing.\nLines that coincide are drawn over each other (ours, then the clairvoyant bound, then the lower bound last).`),
  );
  console.error('wrote bench/results/cache.md, cache.json, cache.svg');
}
if (json) console.log(JSON.stringify(jsonSummary(results, summary)));
