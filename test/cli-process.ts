/**
 * Starts `ai-sdk-bedrock-cache` from source (`node --import tsx`, resolved from the repo) and
 * reads what it prints: the exported environment on stdout, the request log on stderr.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const repo = fileURLToPath(new URL('..', import.meta.url));
const cliSource = fileURLToPath(new URL('../src/cli/index.ts', import.meta.url));

/** A running CLI process. */
export interface CliProcess {
  child: ChildProcess;
  /** Everything printed so far. */
  stdout(): string;
  stderr(): string;
  /** Resolves when the output matches (or rejects when the process exits first). */
  waitFor(stream: 'stdout' | 'stderr', pattern: RegExp): Promise<RegExpExecArray>;
  /** Resolves with the exit code (or the signal name) once the process has ended. */
  exited: Promise<number | string>;
}

/** Runs the CLI with `args` in the repo's folder. */
export function runCliProcess(args: readonly string[], env: NodeJS.ProcessEnv = {}): CliProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', cliSource, ...args], {
    cwd: repo,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output = { stdout: '', stderr: '' };
  const listeners = new Set<() => void>();
  let ended = false;
  for (const stream of ['stdout', 'stderr'] as const) {
    child[stream].setEncoding('utf8');
    child[stream].on('data', (chunk: string) => {
      output[stream] += chunk;
      for (const listener of listeners) listener();
    });
  }
  const exited = new Promise<number | string>((resolve) =>
    child.on('close', (code, signal) => {
      ended = true;
      for (const listener of listeners) listener();
      resolve(code ?? signal ?? -1);
    }),
  );
  const waitFor = (stream: 'stdout' | 'stderr', pattern: RegExp) =>
    new Promise<RegExpExecArray>((resolve, reject) => {
      const check = () => {
        const match = pattern.exec(output[stream]);
        if (match) {
          listeners.delete(check);
          resolve(match);
        } else if (ended) {
          listeners.delete(check);
          reject(new Error(`CLI exited before printing ${pattern} on ${stream}:\n${output.stdout}\n${output.stderr}`));
        }
      };
      listeners.add(check);
      check();
    });
  return { child, stdout: () => output.stdout, stderr: () => output.stderr, waitFor, exited };
}

/** The `export NAME=value` lines of the CLI's banner. */
export function exportedEnv(stdout: string): Record<string, string> {
  return Object.fromEntries([...stdout.matchAll(/^export ([A-Z_]+)=(.*)$/gm)].map((m) => [m[1]!, m[2]!]));
}

/** Starts `emulator` with `args` and resolves once it has printed its environment. */
export async function startEmulatorCli(args: readonly string[] = []): Promise<CliProcess & { env: Record<string, string> }> {
  const cli = runCliProcess(['emulator', '--port', '0', ...args]);
  // the banner is one write; its last line says how to stop
  await cli.waitFor('stdout', /^# Ctrl-C .*$/m);
  return { ...cli, env: exportedEnv(cli.stdout()) };
}
