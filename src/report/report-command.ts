import { readFileSync, writeFileSync } from 'node:fs';
import { CliUsageError } from '../cli/cli-usage-error.js';
import { PROGRAM } from '../cli/format-help.js';
import type { CliCommand } from '../cli/types.js';
import { formatCacheSummary } from './format-cache-summary.js';
import { readCacheLog } from './read-cache-log.js';
import { renderCacheReport } from './render-cache-report.js';
import { summarizeCacheLog } from './summarize-cache-log.js';

/** `logs/cache.jsonl` → `logs/cache.html`. */
const htmlPathFor = (input: string) => `${input.replace(/\.jsonl?$/i, '')}.html`;

/** `ai-sdk-bedrock-cache report`: a summary on stdout and one HTML page from a cache-usage log. */
export const reportCommand: CliCommand = {
  summary: 'Summarize a cache-usage log (cacheUsageJsonlSink) and write an HTML page with charts',
  flags: [
    { name: 'file', type: 'string', valueName: 'cache.jsonl', description: 'the JSON Lines log written by cacheUsageJsonlSink (required)' },
    { name: 'out', type: 'string', valueName: 'page.html', description: 'where to write the HTML page (default: the log path with .html)' },
    { name: 'no-html', type: 'boolean', description: 'print the summary only' },
    { name: 'top', type: 'integer', min: 1, max: 100, valueName: 'n', description: 'models listed in the summary (default 5)' },
  ],
  details: `The log comes from the middleware's onCacheUsage option:
  import { cacheUsageJsonlSink } from 'ai-sdk-bedrock-cache/node';
  bedrockCacheMiddleware({ onCacheUsage: cacheUsageJsonlSink('cache.jsonl') });

The page is self-contained (inline SVG, no script, no external asset): hit ratio, cached
tokens and dollars saved over time, miss reasons, models, and the what-if (the bill
against the clairvoyant bound, over the lines that logged their prefix path).

Examples:
  npx ${PROGRAM} report --file cache.jsonl
  npx ${PROGRAM} report --file logs/cache.jsonl --out /tmp/cache.html --top 10`,

  async run(flags, io) {
    const file = typeof flags.file === 'string' ? flags.file : undefined;
    if (file === undefined) throw new CliUsageError('--file <cache.jsonl> is required');
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (error) {
      io.err(`${PROGRAM} report: cannot read ${file} (${error instanceof Error ? error.message : String(error)})\n`);
      return 1;
    }
    const log = readCacheLog(text);
    const summary = summarizeCacheLog(log.entries);
    io.out(formatCacheSummary(summary, { top: typeof flags.top === 'number' ? flags.top : 5 }));
    if (log.skipped > 0) io.err(`${PROGRAM} report: skipped ${log.skipped} line(s) of ${file} that were not cache-usage entries\n`);
    if (log.skippedValues > 0) io.err(`${PROGRAM} report: skipped ${log.skippedValues} value(s) of ${file} that were out of range or malformed (negative or non-finite costs, bad cacheDetails, cacheMiss or prefix)\n`);
    if (flags['no-html'] !== true) {
      const out = typeof flags.out === 'string' ? flags.out : htmlPathFor(file);
      try {
        writeFileSync(out, renderCacheReport(log, summary));
      } catch (error) {
        // One line, no stack: a path the user typed is the usual cause (no such folder, no permission, a directory).
        io.err(`${PROGRAM} report: cannot write ${out} (${error instanceof Error ? error.message : String(error)})\n`);
        return 1;
      }
      io.out(`\nHTML report: ${out}\n`);
    }
    return 0;
  },
};
