/**
 * The emulator command stops, its port freed, however it is started and stopped: a signal to
 * `npx` (the README's CI line, `npx … &` then `kill $!`, and a docker-compose service, where
 * npx is the process that gets the signal), and its parent going away. Signals to the node
 * process itself are in cli.test.ts.
 *
 * `npx ai-sdk-bedrock-cache` runs from a scratch project whose node_modules holds a stand-in
 * for the installed package: a bin that loads this repository's source through tsx, so the
 * process tree is the real one (npm exec → sh -c → node).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';

const repo = fileURLToPath(new URL('..', import.meta.url));
let project = '';

beforeAll(() => {
  project = mkdtempSync(path.join(tmpdir(), 'emulator-npx-'));
  const pkg = path.join(project, 'node_modules', 'ai-sdk-bedrock-cache');
  mkdirSync(pkg, { recursive: true });
  mkdirSync(path.join(project, 'node_modules', '.bin'));
  writeFileSync(path.join(project, 'package.json'), JSON.stringify({ name: 'user-project', private: true, dependencies: { 'ai-sdk-bedrock-cache': '*' } }));
  writeFileSync(
    path.join(pkg, 'package.json'),
    JSON.stringify({ name: 'ai-sdk-bedrock-cache', version: '0.0.0', type: 'module', bin: { 'ai-sdk-bedrock-cache': 'cli.js' } }),
  );
  // tsx as this file resolves it (leg 2 runs a copy of the repo under compat/ai7/.stage)
  const tsxApi = pathToFileURL(path.join(path.dirname(createRequire(import.meta.url).resolve('tsx/package.json')), 'dist/esm/api/index.mjs')).href;
  const cliSource = pathToFileURL(path.join(repo, 'src/cli/index.ts')).href;
  writeFileSync(
    path.join(pkg, 'cli.js'),
    `#!/usr/bin/env node\nimport { register } from '${tsxApi}';\nregister();\nawait import('${cliSource}');\n`,
  );
  chmodSync(path.join(pkg, 'cli.js'), 0o755);
  symlinkSync('../ai-sdk-bedrock-cache/cli.js', path.join(project, 'node_modules', '.bin', 'ai-sdk-bedrock-cache'));
});
afterAll(() => rmSync(project, { recursive: true, force: true }));

const started: ChildProcess[] = [];
afterEach(() => {
  for (const child of started.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
});

/** A port nothing listens on now. */
function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** Whether something accepts connections on `port`. */
function listening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1', () => {
      socket.destroy();
      resolve(true);
    });
    socket.on('error', () => resolve(false));
  });
}

/** Polls until `check` holds (false after `ms`). No test asserts on how long it took. */
async function eventually(check: () => Promise<boolean>, ms = 15_000): Promise<boolean> {
  for (const deadline = Date.now() + ms; Date.now() < deadline; await new Promise((resolve) => setTimeout(resolve, 50))) {
    if (await check()) return true;
  }
  return false;
}

/** Runs `command` (argv) in the scratch project (or `cwd`); collects its output. */
function run(command: string[], cwd = project) {
  const [file = '', ...args] = command;
  const child = spawn(file, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, npm_config_update_notifier: 'false' } });
  started.push(child);
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk));
  return { child, output: () => output };
}

/** The processes (npm exec, sh, node) still running with `--port <port>` in their command line. */
async function leftovers(port: number): Promise<string[]> {
  const ps = run(['ps', '-eo', 'pid=,args=']);
  await new Promise((resolve) => ps.child.once('close', resolve));
  return ps
    .output()
    .split('\n')
    .filter((line) => new RegExp(`--port ${port}( |$)`).test(line));
}

describe('the command stops on its port, however it is run', { timeout: 60_000 }, () => {
  // SIGINT to npx is left out: npm forwards it to the `sh -c` it runs the bin under, and dash
  // defers SIGINT until its child exits, so nothing reaches node (Ctrl-C in a terminal signals
  // the whole process group, node included, and works)
  it.each(['SIGTERM'] as const)("the README's CI line, `npx … emulator --port N --log &`, then `kill -%s $!`", async (signal) => {
    const port = await freePort();
    const script = run(['sh', '-c', `npx ai-sdk-bedrock-cache emulator --port ${port} --log &\necho "npx pid $!"\nwait`]);
    expect(await eventually(() => listening(port))).toBe(true);
    const npxPid = Number(/npx pid (\d+)/.exec(script.output())?.[1]);
    process.kill(npxPid, signal);
    expect(await eventually(async () => !(await listening(port)))).toBe(true);
    expect(await eventually(async () => (await leftovers(port)).length === 0)).toBe(true);
    expect(await leftovers(port)).toEqual([]);
  });

  it.each(['SIGTERM'] as const)('a docker-compose service, `command: npx … emulator --host 0.0.0.0 --port N`, stopped with %s', async (signal) => {
    const port = await freePort();
    const npx = run(['npx', 'ai-sdk-bedrock-cache', 'emulator', '--host', '0.0.0.0', '--port', String(port)]);
    expect(await eventually(() => listening(port))).toBe(true);
    npx.child.kill(signal);
    expect(await eventually(async () => !(await listening(port)))).toBe(true);
    expect(await eventually(async () => (await leftovers(port)).length === 0)).toBe(true);
    expect(await leftovers(port)).toEqual([]);
    expect(npx.output()).toContain('emulator stopped');
  });

  it('Ctrl-C in a terminal: SIGINT to the whole process group (npm exec, sh, node)', async () => {
    const port = await freePort();
    const npx = spawn('npx', ['ai-sdk-bedrock-cache', 'emulator', '--port', String(port)], { cwd: project, stdio: 'ignore', detached: true });
    started.push(npx);
    expect(await eventually(() => listening(port))).toBe(true);
    process.kill(-npx.pid!, 'SIGINT');
    expect(await eventually(async () => !(await listening(port)))).toBe(true);
    expect(await eventually(async () => (await leftovers(port)).length === 0)).toBe(true);
  });

  it('its parent going away (killed outright) stops it', async () => {
    const port = await freePort();
    // `; :` keeps sh from exec-ing node: sh stays its parent
    const parent = run(['sh', '-c', `"${process.execPath}" --import tsx "${path.join(repo, 'src/cli/index.ts')}" emulator --port ${port}; :`], repo);
    expect(await eventually(() => listening(port))).toBe(true);
    parent.child.kill('SIGKILL');
    expect(await eventually(async () => !(await listening(port)))).toBe(true);
    expect(await eventually(async () => (await leftovers(port)).length === 0)).toBe(true);
    expect(await leftovers(port)).toEqual([]);
  });
});
