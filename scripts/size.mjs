#!/usr/bin/env node
/**
 * Bundle size of the core entry for the browser (esbuild, minified, gzip), printed, never
 * asserted (issue 11's target: at most 10 KB gzipped beyond what `ai` already brings).
 *
 *  1. our code: src/index.ts with its peers external (ai, @ai-sdk/provider, zod), as a
 *     bundler sees the package;
 *     (and with zod bundled in, the figure issue 11 started from);
 *  2. what an app adds: an app importing streamText + wrapLanguageModel from ai, bundled whole
 *     (ai brings zod/v4 and @ai-sdk/provider), without and with bedrockCacheMiddleware();
 *  3. the headline (issue 18's target: at most 5%): a minimal Bedrock edge route (streamText +
 *     bedrock(), a POST handler answering a UI message stream) bundled whole, without and with
 *     the middleware wrapped around its model, printed as "+X KB on Y KB (Z%)" gzipped.
 *
 *   npm run size -- --analyze        also the largest inputs of our code: minified bytes (esbuild metafile)
 *                                    and what each costs gzipped (the whole without it)
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
import { build, transform } from 'esbuild';

const repo = resolve(import.meta.dirname, '..');
const { values } = parseArgs({ options: { rev: { type: 'string' }, analyze: { type: 'boolean' } } });

let srcRoot = repo;
let scratch;
if (values.rev) {
  scratch = mkdtempSync(join(tmpdir(), 'size-'));
  execFileSync('sh', ['-c', `git archive "$0" src | tar -x -C "$1"`, values.rev, scratch], { cwd: repo });
  srcRoot = scratch;
}
const entry = join(srcRoot, 'src/index.ts');

/** Bundles `contents` (an ES module) for the browser; returns minified and gzipped byte counts. */
async function measure(contents, external, { metafile = false } = {}) {
  const result = await build({
    metafile,
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
  return { min: code.length, gzip: gzipSync(code).length, metafile: result.metafile };
}

const kb = (bytes) => `${(bytes / 1024).toFixed(1)} KB`;
const peers = ['ai', '@ai-sdk/provider', '@ai-sdk/provider-utils', 'zod', 'zod/*'];
const app = `import { streamText, wrapLanguageModel } from 'ai';\nexport { streamText, wrapLanguageModel };\n`;
const appWithMiddleware = `${app}import { bedrockCacheMiddleware } from ${JSON.stringify(entry)};\nexport const middleware = bedrockCacheMiddleware();\n`;

const MODEL = 'us.anthropic.claude-sonnet-4-5-20250929-v1:0';
/** A minimal Bedrock edge route (Next.js app router style); `wrap` turns the model expression into the wrapped one. */
const route = (wrap) => `import { streamText, wrapLanguageModel } from 'ai';
import { bedrock } from '@ai-sdk/amazon-bedrock';
${wrap ? `import { bedrockCacheMiddleware } from ${JSON.stringify(entry)};\n` : ''}export const runtime = 'edge';
export async function POST(request) {
  const { messages } = await request.json();
  const model = ${wrap ? `wrapLanguageModel({ model: bedrock(${JSON.stringify(MODEL)}), middleware: bedrockCacheMiddleware() })` : `bedrock(${JSON.stringify(MODEL)})`};
  return streamText({ model, messages }).toUIMessageStreamResponse();
}
`;

const ours = await measure(`export * from ${JSON.stringify(entry)};\n`, peers, { metafile: values.analyze });
// the issue's first measure: zod bundled in, as when an app's bundler can't share ai's copy
const oursWithZod = await measure(`export * from ${JSON.stringify(entry)};\n`, peers.filter((name) => !name.startsWith('zod')));
const aiAlone = await measure(app, []);
const withUs = await measure(appWithMiddleware, []);
const routeAlone = await measure(route(false), []);
const routeWithUs = await measure(route(true), []);
if (scratch) rmSync(scratch, { recursive: true, force: true });

const label = values.rev ? `src/ of ${values.rev}` : 'src/';
console.log(`== bundle size of ${label} (esbuild, browser, minified; gzip level 6)`);
console.log(`our code (peers ai, @ai-sdk/provider, zod external): ${kb(ours.min)} min, ${kb(ours.gzip)} gzip`);
console.log(`our code with zod bundled (ai, @ai-sdk/provider external): ${kb(oursWithZod.min)} min, ${kb(oursWithZod.gzip)} gzip`);
console.log(`app with ai alone (streamText, wrapLanguageModel):   ${kb(aiAlone.min)} min, ${kb(aiAlone.gzip)} gzip`);
console.log(`app with ai + bedrockCacheMiddleware():               ${kb(withUs.min)} min, ${kb(withUs.gzip)} gzip`);
console.log(`added beyond ai: ${kb(withUs.min - aiAlone.min)} min, ${kb(withUs.gzip - aiAlone.gzip)} gzip (target: at most 10 KB gzip)`);
const added = routeWithUs.gzip - routeAlone.gzip;
console.log(`minimal Bedrock edge route (streamText + bedrock()):  ${kb(routeAlone.min)} min, ${kb(routeAlone.gzip)} gzip; with the middleware ${kb(routeWithUs.min)} min, ${kb(routeWithUs.gzip)} gzip`);
console.log(`core entry in a minimal Bedrock edge route: +${kb(added)} on ${kb(routeAlone.gzip)} (${((added / routeAlone.gzip) * 100).toFixed(1)}%) gzip (target: at most 5%)`);

if (values.analyze) {
  // What each file costs gzipped: esbuild marks each module's start with a `// src/…` comment
  // when whitespace is kept, so the bundle is cut there, each piece minified, and a file's
  // cost is how much the gzip of all pieces shrinks without it (minified bytes overstate
  // repetitive code and data, which gzip takes almost for free).
  const pieces = await build({
    stdin: { contents: `export * from ${JSON.stringify(entry)};\n`, resolveDir: repo, loader: 'ts', sourcefile: 'app.ts' },
    bundle: true,
    minifyIdentifiers: true,
    minifySyntax: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    external: peers,
    nodePaths: [join(repo, 'node_modules')],
    write: false,
    logLevel: 'error',
  });
  // the entry's export list, at the end, belongs to no file
  const split = pieces.outputFiles[0].text.replace(/^export \{[^}]*\};\s*$/m, '').split(/^\/\/ (\S*src\/\S+)$/m);
  const modules = [];
  for (let i = 1; i < split.length; i += 2) {
    const { code } = await transform(split[i + 1], { minifyWhitespace: true, loader: 'js' });
    modules.push({ file: split[i].replace(/^.*?src\//, 'src/'), code });
  }
  const gzipOf = (list) => gzipSync(list.map((m) => m.code).join('')).length;
  const whole = gzipOf(modules);
  const bytesOf = Object.fromEntries(
    Object.entries(Object.entries(ours.metafile.outputs)[0][1].inputs).map(([file, { bytesInOutput }]) => [file.replace(/^.*?src\//, 'src/'), bytesInOutput]),
  );
  const rows = modules
    .map((m) => ({ file: m.file, bytes: bytesOf[m.file] ?? m.code.length, gzip: whole - gzipOf(modules.filter((other) => other !== m)) }))
    .sort((a, b) => b.gzip - a.gzip);
  console.log(`\n== largest inputs of our code (minified bytes in the output; gzip: what the whole shrinks by without the file)`);
  for (const { file, bytes, gzip } of rows.slice(0, 30)) console.log(`${String(bytes).padStart(7)}  ${String(gzip).padStart(6)} gz  ${file}`);
}
