import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { validateFixture, type Fixture } from './schema.js';

/** The fixtures shipped with the repository. */
export const DEFAULT_FIXTURES_DIR = new URL('./fixtures/', import.meta.url).pathname;

/** Every `*.json` file under `dir`, sorted, as paths. */
function jsonFiles(dir: string): string[] {
  return readdirSync(dir)
    .sort()
    .flatMap((name) => {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) return jsonFiles(path);
      return name.endsWith('.json') ? [path] : [];
    });
}

/**
 * Loads and validates every fixture under `dir` (`<section>/<rule>.json`; the id is that path
 * without `.json`). Throws one error listing every invalid file, so a broken fixture is never
 * silently skipped.
 */
export function loadFixtures(dir: string = DEFAULT_FIXTURES_DIR): Fixture[] {
  const fixtures: Fixture[] = [];
  const problems: string[] = [];
  for (const file of jsonFiles(dir)) {
    const id = relative(dir, file).split(sep).join('/').replace(/\.json$/, '');
    let json: unknown;
    try {
      json = JSON.parse(readFileSync(file, 'utf8'));
    } catch (error) {
      problems.push(`${id}: not JSON (${error instanceof Error ? error.message : String(error)})`);
      continue;
    }
    const result = validateFixture(json, id, file);
    if (result.ok) fixtures.push(result.fixture);
    else problems.push(...result.errors.map((error) => `${id}: ${error}`));
  }
  if (problems.length > 0) throw new Error(`Invalid conformance fixtures:\n  ${problems.join('\n  ')}`);
  return fixtures;
}
