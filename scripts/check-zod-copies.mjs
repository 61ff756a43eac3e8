#!/usr/bin/env node
/**
 * Package smoke (scripts/check-package.sh): in a scratch app that installed the packed
 * tarball next to its own zod, there must be exactly one zod (ours is a peer, like ai's and
 * @ai-sdk/amazon-bedrock's), of the major the app chose, and the middleware's option
 * validation must still explain itself.
 *   node scripts/check-zod-copies.mjs <app folder> <zod major: 3|4>
 */
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, relative } from 'node:path';

const [app, major] = process.argv.slice(2);
assert.ok(app && major, 'usage: check-zod-copies.mjs <app folder> <zod major>');

/** Every installed copy of `name` under `folder`'s node_modules, nested ones included. */
function copiesOf(name, folder) {
  const found = [];
  const modules = join(folder, 'node_modules');
  if (!existsSync(modules)) return found;
  for (const entry of readdirSync(modules)) {
    const dirs = entry.startsWith('@') ? readdirSync(join(modules, entry)).map((sub) => join(entry, sub)) : [entry];
    for (const dir of dirs) {
      const path = join(modules, dir);
      if (dir === name) found.push({ path, version: JSON.parse(readFileSync(join(path, 'package.json'), 'utf8')).version });
      found.push(...copiesOf(name, path));
    }
  }
  return found;
}

const zods = copiesOf('zod', app);
const listing = zods.map((copy) => `${relative(app, copy.path)}@${copy.version}`).join(', ');
assert.equal(zods.length, 1, `expected one zod, found ${zods.length}: ${listing}`);
assert.equal(zods[0].version.split('.')[0], major, `expected zod ${major}.x, found ${listing}`);

// required from the app, as its own code would (esm.mjs runs the ESM build there too)
const { bedrockCacheMiddleware } = createRequire(join(app, 'package.json'))('ai-sdk-bedrock-cache');
assert.throws(
  () => bedrockCacheMiddleware({ ttl: '2h' }),
  (error) => /\bttl\b/.test(error.message) && error.message.includes("'5m'") && error.message.includes("'1h'"),
  'bedrockCacheMiddleware({ ttl: "2h" }) should throw naming ttl, 5m and 1h',
);
console.log(`one zod (${listing}); options validation intact`);
