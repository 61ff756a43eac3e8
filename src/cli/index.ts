#!/usr/bin/env node
/**
 * `ai-sdk-bedrock-cache` (package.json `bin`): the command-line entry. Node only.
 */
import { runCli } from './run-cli.js';

const io = {
  out: (text: string) => void process.stdout.write(text),
  err: (text: string) => void process.stderr.write(text),
};

runCli(process.argv.slice(2), io).then(
  (code) => {
    // exitCode rather than exit(): pending stdout writes to a pipe are flushed first
    process.exitCode = code;
  },
  (error: unknown) => {
    io.err(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exitCode = 1;
  },
);
