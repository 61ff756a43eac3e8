#!/usr/bin/env node
/**
 * `ai-sdk-bedrock-cache` (package.json `bin`): the command-line entry. Node only.
 */
import { runCli } from './run-cli.js';

/** Once a command is done, the longest the process may linger on open handles (a reply still waiting out its time to first byte). */
const EXIT_GRACE_MS = 300;

// A reader that has gone away (a parent that exited, `| head`) must not crash the command
// with EPIPE: what can't be written is dropped.
for (const stream of [process.stdout, process.stderr]) stream.on('error', () => {});

const io = {
  out: (text: string) => void process.stdout.write(text),
  err: (text: string) => void process.stderr.write(text),
};

const done = (code: number): void => {
  // exitCode rather than exit(): pending stdout writes to a pipe are flushed first
  process.exitCode = code;
  setTimeout(() => process.exit(), EXIT_GRACE_MS).unref();
};

runCli(process.argv.slice(2), io).then(done, (error: unknown) => {
  io.err(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  done(1);
});
