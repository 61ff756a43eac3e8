#!/usr/bin/env node
/**
 * `npm ci` for this repo's lockfiles: node scripts/npm-install-locked.mjs [folder]
 *
 * npm ci refuses a lockfile that lacks optional platform binaries it can't find (this CI
 * machine's npm registry mirror serves no @rollup/rollup-darwin-*, @next/swc-win32-* …, so
 * lockfiles made here never list them). This removes node_modules, runs `npm install`, which
 * keeps every version the lockfile pins and skips what the registry lacks, and then fails if
 * the install moved, removed or added a locked package (other than optional ones) or found
 * package.json out of sync with the lockfile. The committed lockfile is left as it was.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const folder = resolve(process.argv[2] ?? '.');
const lockPath = join(folder, 'package-lock.json');
const lockText = readFileSync(lockPath, 'utf8');
const before = JSON.parse(lockText).packages;

rmSync(join(folder, 'node_modules'), { recursive: true, force: true });
try {
  execFileSync('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: folder, stdio: 'inherit' });
  const after = JSON.parse(readFileSync(lockPath, 'utf8')).packages;
  const problems = [];
  if (JSON.stringify(after['']) !== JSON.stringify(before[''])) problems.push('package.json and package-lock.json are out of sync');
  for (const [path, entry] of Object.entries(before)) {
    if (path === '') continue;
    if (!after[path]) problems.push(`${path} ${entry.version}: no longer installed`);
    else if (after[path].version !== entry.version) problems.push(`${path}: locked ${entry.version}, installed ${after[path].version}`);
  }
  for (const [path, entry] of Object.entries(after)) {
    if (!(path in before) && !entry.optional) problems.push(`${path} ${entry.version}: not in the lockfile`);
  }
  if (problems.length > 0) {
    console.error(`${lockPath} does not match what npm installs:\n  ${problems.join('\n  ')}\nRun npm install in ${folder} and commit package-lock.json.`);
    process.exitCode = 1;
  }
} finally {
  writeFileSync(lockPath, lockText);
}
