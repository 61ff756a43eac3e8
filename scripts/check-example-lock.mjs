#!/usr/bin/env node
/**
 * examples/next-chat installs the library from ../.. (file: + install-links), and its lockfile
 * keeps a copy of the library's package.json fields. npm never refreshes that copy (npm ci
 * and npm install both trust it), so a dependency the library adds would silently not be
 * installed there. This fails when the copy is out of date; --fix rewrites it.
 *   node scripts/check-example-lock.mjs [examples/next-chat] [--fix]
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';

const repo = resolve(import.meta.dirname, '..');
const args = process.argv.slice(2);
const fix = args.includes('--fix');
const folder = resolve(args.find((arg) => !arg.startsWith('--')) ?? join(repo, 'examples/next-chat'));
const lockPath = join(folder, 'package-lock.json');
const library = JSON.parse(readFileSync(join(repo, 'package.json'), 'utf8'));
const key = `node_modules/${library.name}`;

/** The fields of the library's package.json that the lockfile's copy has wrong. */
function staleFields() {
  const recorded = JSON.parse(readFileSync(lockPath, 'utf8')).packages?.[key];
  if (!recorded) return ['(not in the lockfile)'];
  // key order doesn't matter; absent and empty are the same
  const canonical = (value) => JSON.stringify(Object.fromEntries(Object.entries(value ?? {}).sort(([a], [b]) => a.localeCompare(b))));
  return ['dependencies', 'optionalDependencies', 'peerDependencies', 'peerDependenciesMeta', 'bin'].filter(
    (field) => canonical(library[field]) !== canonical(recorded[field]),
  );
}

let stale = staleFields();
if (stale.length > 0 && fix) {
  // without its entry, npm re-reads ../../package.json; every other pinned version stays
  const lock = JSON.parse(readFileSync(lockPath, 'utf8'));
  delete lock.packages[key];
  writeFileSync(lockPath, `${JSON.stringify(lock, null, 2)}\n`);
  execFileSync('npm', ['install', '--package-lock-only', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: folder, stdio: 'inherit' });
  stale = staleFields();
}
const where = relative(repo, lockPath);
if (stale.length > 0) {
  console.error(
    `${where} records an older package.json of ${library.name} (${stale.join(', ')} differ): ` +
      `run node scripts/check-example-lock.mjs ${relative(repo, folder)} --fix and commit it`,
  );
  process.exit(1);
}
if (fix) console.log(`${where}: up to date with package.json`);
