/**
 * `npm run corpus:misses [-- --only one-shot,fan-out] [--verbose]`: runs the miss corpus
 * (test/support/miss-corpus) and prints, per traffic shape, how many calls' `cacheMiss`
 * agree with the emulator's truth (test/support/miss-corpus/truth.ts), the false and missed
 * misses, and the warnings. `--verbose` lists every disagreement and warning.
 */
import { agreementTable, disagreements, runShape, warningLines, type ShapeResult } from '../test/support/miss-corpus/harness';
import { SHAPES } from '../test/support/miss-corpus/shapes';

(globalThis as { AI_SDK_LOG_WARNINGS?: boolean }).AI_SDK_LOG_WARNINGS = false;

const args = process.argv.slice(2);
const onlyIndex = args.indexOf('--only');
const only = onlyIndex >= 0 ? new Set((args[onlyIndex + 1] ?? '').split(',')) : undefined;
const shapes = SHAPES.filter((s) => !only || only.has(s.name));
if (shapes.length === 0) {
  console.error(`no shape matches; known: ${SHAPES.map((s) => s.name).join(', ')}`);
  process.exit(2);
}

const results: ShapeResult[] = [];
for (const shape of shapes) results.push(await runShape(shape));
console.log(agreementTable(results));
if (args.includes('--verbose')) {
  console.log('');
  for (const result of results) for (const line of [...disagreements(result), ...warningLines(result)]) console.log(`- ${line}`);
}
