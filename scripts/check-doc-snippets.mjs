#!/usr/bin/env node
/**
 * Type-checks every TypeScript snippet in README.md and docs/*.md against the BUILT package, so
 * the docs can't drift from the API (issue 20). Run `npm run build` first (CI runs this right
 * after the package step, which builds); `npm run check:docs` does both.
 *
 * Each ```ts (or ```typescript) block becomes one module in a scratch project outside the repo:
 * its node_modules links `ai-sdk-bedrock-cache` to this repo (so imports go through the package's
 * `exports` to dist/*.d.ts, as a user's would) and every other package to the repo's own
 * node_modules. A short ambient prelude (below) declares the few free variables snippets use
 * for "your own" things. tsc runs strict; an error is printed at its line in the Markdown file
 * and fails the check.
 *
 * A canary snippet with a known type error compiles alongside the docs' snippets: if tsc doesn't
 * report it, the check itself is broken (the package's types not seen, strict off) and fails.
 *
 * It also checks the pages' relative links: the file exists, and a `#fragment` names a heading of
 * it (GitHub's slugs), so moving a section can't leave a link dangling.
 *
 * A block that can't compile here on purpose is marked ```ts no-check — keep that rare: a
 * snippet for a package the repo doesn't install, or for the ai 7 line.
 *
 * Usage: node scripts/check-doc-snippets.mjs [files…]   (default: README.md docs/*.md)
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/**
 * Free variables snippets may use without defining them: the user's own prompt, data and
 * metrics client, and an already wrapped model. Nothing from this package is declared here.
 */
const PRELUDE = `import type { LanguageModel } from 'ai';
declare global {
  /** A system prompt long enough to cache (the model's minimum, 1,024+ tokens on Claude). */
  const longSystemPrompt: string;
  /** The shared instruction of a fan-out. */
  const instruction: string;
  /** The inputs of a fan-out. */
  const docs: string[];
  /** A model wrapped with bedrockCacheMiddleware(). */
  const model: LanguageModel;
  /** Your metrics client. */
  const metrics: { record(name: string, fields: Record<string, unknown>): void };
}
export {};
`;

/** A snippet that must NOT compile: an invalid `ttl` (the options' type allows '5m' | '1h' | 'auto' …). */
const CANARY = `import { bedrockCacheMiddleware } from 'ai-sdk-bedrock-cache';
bedrockCacheMiddleware({ ttl: '2h' });
export {};
`;

/** The ```ts blocks of a Markdown text, with the line each one's code starts on (1-based). */
export function extractSnippets(markdown) {
  const snippets = [];
  const lines = markdown.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const open = /^(\s*)(`{3,}|~{3,})\s*(\S*)\s*(.*)$/.exec(lines[i]);
    if (!open) continue;
    const [, indent, fence, lang, rest] = open;
    const start = i + 1;
    let end = start;
    while (end < lines.length && !(lines[end].trim().startsWith(fence) && lines[end].trim().replace(/[`~]/g, '') === '')) end++;
    if (lang === 'ts' || lang === 'typescript') {
      const code = lines.slice(start, end).map((line) => (line.startsWith(indent) ? line.slice(indent.length) : line));
      snippets.push({ line: start + 1, code: code.join('\n'), check: !/\bno-check\b/.test(rest) });
    }
    i = end;
  }
  return snippets;
}

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens. */
const slug = (heading) => heading.trim().toLowerCase().replace(/[^\p{L}\p{N}\- _]/gu, '').replace(/ /g, '-');

/** Relative links of `file` whose target or `#fragment` doesn't exist. */
export function brokenLinks(file) {
  const text = readFileSync(file, 'utf8').replace(/^(`{3,}|~{3,})[^\n]*\n[\s\S]*?^\1[^\n]*$/gm, '');
  const anchorsOf = (path) => new Set(readFileSync(path, 'utf8').split('\n').filter((line) => /^#{1,6} /.test(line)).map((line) => slug(line.replace(/^#+ /, ''))));
  const broken = [];
  for (const [, link] of text.matchAll(/\]\(([^)\s]+)\)/g)) {
    if (/^[a-z]+:/i.test(link)) continue;
    const [path, fragment] = link.split('#');
    const target = path ? resolve(dirname(file), path) : file;
    if (!existsSync(target)) broken.push(`${relative(process.cwd(), file)}: ${link} (no such file)`);
    else if (fragment && target.endsWith('.md') && !anchorsOf(target).has(fragment)) broken.push(`${relative(process.cwd(), file)}: ${link} (no such heading)`);
  }
  return broken;
}

function linkNodeModules(project) {
  const modules = join(project, 'node_modules');
  mkdirSync(modules);
  const source = join(repo, 'node_modules');
  for (const entry of readdirSync(source)) {
    if (entry.startsWith('.') || entry === 'ai-sdk-bedrock-cache') continue;
    symlinkSync(join(source, entry), join(modules, entry));
  }
  symlinkSync(repo, join(modules, 'ai-sdk-bedrock-cache'), 'dir');
}

function main(args) {
  if (!existsSync(join(repo, 'dist', 'index.d.ts'))) {
    console.error('check-doc-snippets: dist/ is missing: run `npm run build` first (or `npm run check:docs`).');
    return 2;
  }
  const files = args.length > 0 ? args.map((file) => resolve(file)) : [
    join(repo, 'README.md'),
    ...readdirSync(join(repo, 'docs')).filter((name) => name.endsWith('.md')).sort().map((name) => join(repo, 'docs', name)),
  ];
  const broken = files.flatMap(brokenLinks);
  if (broken.length > 0) {
    console.error(`doc links: broken\n  ${broken.join('\n  ')}`);
    return 1;
  }
  const project = mkdtempSync(join(tmpdir(), 'doc-snippets-'));
  try {
    linkNodeModules(project);
    /** snippet file name → where it came from */
    const origin = new Map();
    let skipped = 0;
    for (const file of files) {
      const snippets = extractSnippets(readFileSync(file, 'utf8'));
      snippets.forEach((snippet, index) => {
        if (!snippet.check) {
          skipped++;
          return;
        }
        const name = `${basename(file, '.md').toLowerCase()}-${index + 1}.ts`;
        // `export {}` makes every snippet a module: its own scope, top-level await allowed
        writeFileSync(join(project, name), `${snippet.code}\nexport {};\n`);
        origin.set(name, { file: relative(process.cwd(), file) || file, line: snippet.line });
      });
    }
    writeFileSync(join(project, 'prelude.d.ts'), PRELUDE);
    writeFileSync(join(project, 'canary.ts'), CANARY);
    writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'doc-snippets', private: true, type: 'module' }));
    writeFileSync(
      join(project, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          target: 'ES2022',
          module: 'ESNext',
          moduleResolution: 'Bundler',
          lib: ['ES2022', 'DOM'],
          types: ['node'],
          strict: true,
          noEmit: true,
          skipLibCheck: true,
          isolatedModules: true,
          // a snippet may import a name it only shows, or leave a result unused
          noUnusedLocals: false,
        },
        include: ['*.ts'],
      }),
    );
    const tsc = join(repo, 'node_modules', 'typescript', 'bin', 'tsc');
    let output = '';
    try {
      execFileSync(process.execPath, [tsc, '-p', project, '--pretty', 'false'], { cwd: project, encoding: 'utf8', stdio: 'pipe' });
    } catch (error) {
      output = `${error.stdout ?? ''}${error.stderr ?? ''}`;
    }
    const count = origin.size;
    const lines = output.split('\n');
    if (!lines.some((line) => /^canary\.ts\(2,\d+\): error TS2322/.test(line))) {
      console.error(output.trim());
      console.error('\ndoc snippets: the canary snippet (an invalid ttl) compiled: the check does not see the package\'s types');
      return 1;
    }
    // the canary's own error and its continuation lines
    output = output.replace(/^canary\.ts\(.*\n(?:^\s+.*\n)*/gm, '');
    const failed = output.trim() !== '';
    if (!failed) {
      console.log(`doc snippets: ${count} TypeScript snippets type-check against the built package (${skipped} marked no-check); relative links and anchors resolve`);
      return 0;
    }
    // point each error at its Markdown line
    const mapped = output.replace(/^([\w.-]+\.ts)\((\d+),(\d+)\)/gm, (match, name, line, column) => {
      const from = origin.get(name);
      return from ? `${from.file}:${from.line + Number(line) - 1}:${column}` : match;
    });
    console.error(mapped.trim());
    console.error(`\ndoc snippets: type errors above (${count} snippets checked against the built package)`);
    return 1;
  } finally {
    rmSync(project, { recursive: true, force: true });
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  process.exitCode = main(process.argv.slice(2));
}
