#!/usr/bin/env node
/**
 * Types flow one way: fails when src/ holds an import cycle, type-only imports included
 * (a cycle of types is still two floors that each need the other). Reads the relative
 * `import … from` / `export … from` specifiers of src/**\/*.ts; no dependency.
 *
 *   node scripts/check-import-cycles.mjs          exit 1 and print each cycle found
 *   node scripts/check-import-cycles.mjs --graph  also print the edges
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..', 'src');

function files(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path) : path.endsWith('.ts') ? [path] : [];
  });
}

function target(from, specifier) {
  const base = resolve(dirname(from), specifier);
  for (const candidate of [base, `${base}.ts`, join(base, 'index.ts')]) {
    if (candidate.endsWith('.ts') && existsSync(candidate)) return candidate;
  }
  return undefined;
}

const specifiers = /\b(?:import|export)\s[^'";]*?\sfrom\s*['"](\.[^'"]+)['"]/gs;
const graph = new Map();
for (const file of files(root)) {
  const text = readFileSync(file, 'utf8');
  const edges = new Set();
  for (const match of text.matchAll(specifiers)) {
    const to = target(file, match[1]);
    if (to) edges.add(to);
  }
  graph.set(file, [...edges]);
}

// Tarjan's strongly connected components: each component of more than one file is a cycle.
let index = 0;
const indices = new Map();
const lowlinks = new Map();
const stack = [];
const onStack = new Set();
const cycles = [];
function visit(node) {
  indices.set(node, index);
  lowlinks.set(node, index);
  index++;
  stack.push(node);
  onStack.add(node);
  for (const next of graph.get(node) ?? []) {
    if (!indices.has(next)) {
      visit(next);
      lowlinks.set(node, Math.min(lowlinks.get(node), lowlinks.get(next)));
    } else if (onStack.has(next)) {
      lowlinks.set(node, Math.min(lowlinks.get(node), indices.get(next)));
    }
  }
  if (lowlinks.get(node) === indices.get(node)) {
    const component = [];
    let member;
    do {
      member = stack.pop();
      onStack.delete(member);
      component.push(member);
    } while (member !== node);
    if (component.length > 1 || (graph.get(node) ?? []).includes(node)) cycles.push(component);
  }
}
for (const node of graph.keys()) if (!indices.has(node)) visit(node);

const name = (file) => relative(root, file);
if (process.argv.includes('--graph')) {
  for (const [from, to] of graph) for (const file of to) console.log(`${name(from)} -> ${name(file)}`);
}
if (cycles.length === 0) {
  console.log(`no import cycles in src/ (${graph.size} files)`);
} else {
  for (const cycle of cycles) console.error(`import cycle: ${cycle.map(name).sort().join(', ')}`);
  process.exitCode = 1;
}
