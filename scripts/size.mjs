#!/usr/bin/env node
/**
 * Bundle size of the core entry for the browser (esbuild, minified, gzip), printed, never
 * asserted (issue 11's target: at most 10 KB gzipped beyond what `ai` already brings).
 *
 *  1. our code: src/index.ts with its peers external (ai, @ai-sdk/provider, zod), as a
 *     bundler sees the package;
 *     (and with zod bundled in, the figure issue 11 started from);
 *  2. what an app adds: an app importing streamText + wrapLanguageModel from ai, bundled whole
 *     (ai brings zod/v4 and @ai-sdk/provider), without and with bedrockCacheMiddleware().
 *
 *   npm run size                     this checkout
 *   npm run size -- --rev 960cff1~1  another commit's src/ (git archive), e.g. before zod/v4
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';

const repo = resolve(import.meta.dirname, '..');
const { values } = parseArgs({ options: { rev: { type: 'string' } } });

let srcRoot = repo;
let scratch;
if (values.rev) {
  scratch = mkdtempSync(join(tmpdir(), 'size-'));
  execFileSync('sh', ['-c', `git archive "$0" src | tar -x -C "$1"`, values.rev, scratch], { cwd: repo });
  srcRoot = scratch;
}
const entry = join(srcRoot, 'src/index.ts');

/** Bundles `contents` (an ES module) for the browser; returns minified and gzipped byte counts. */
async function measure(contents, external) {
  const result = await build({
    stdin: { contents, resolveDir: repo, loader: 'ts', sourcefile: 'app.ts' },
    bundle: true,
    minify: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    external,
    // another commit's src/ resolves its packages from this checkout's node_modules
    nodePaths: [join(repo, 'node_modules')],
    write: false,
    logLevel: 'error',
  });
  const code = result.outputFiles[0].contents;
  return { min: code.length, gzip: gzipSync(code).length };
}

const kb = (bytes) => `${(bytes / 1024).toFixed(1)} KB`;
const peers = ['ai', '@ai-sdk/provider', '@ai-sdk/provider-utils', 'zod', 'zod/*'];
const app = `import { streamText, wrapLanguageModel } from 'ai';\nexport { streamText, wrapLanguageModel };\n`;
const appWithMiddleware = `${app}import { bedrockCacheMiddleware } from ${JSON.stringify(entry)};\nexport const middleware = bedrockCacheMiddleware();\n`;

const ours = await measure(`export * from ${JSON.stringify(entry)};\n`, peers);
// the first measure: zod bundled in, as when an app's bundler can't share ai's copy
const oursWithZod = await measure(`export * from ${JSON.stringify(entry)};\n`, peers.filter((name) => !name.startsWith('zod')));
const aiAlone = await measure(app, []);
const withUs = await measure(appWithMiddleware, []);
if (scratch) rmSync(scratch, { recursive: true, force: true });

const label = values.rev ? `src/ of ${values.rev}` : 'src/';
console.log(`== bundle size of ${label} (esbuild, browser, minified; gzip level 6)`);
console.log(`our code (peers ai, @ai-sdk/provider, zod external): ${kb(ours.min)} min, ${kb(ours.gzip)} gzip`);
console.log(`our code with zod bundled (ai, @ai-sdk/provider external): ${kb(oursWithZod.min)} min, ${kb(oursWithZod.gzip)} gzip`);
console.log(`app with ai alone (streamText, wrapLanguageModel):   ${kb(aiAlone.min)} min, ${kb(aiAlone.gzip)} gzip`);
console.log(`app with ai + bedrockCacheMiddleware():               ${kb(withUs.min)} min, ${kb(withUs.gzip)} gzip`);
console.log(`added beyond ai: ${kb(withUs.min - aiAlone.min)} min, ${kb(withUs.gzip - aiAlone.gzip)} gzip (target: at most 10 KB gzip)`);
