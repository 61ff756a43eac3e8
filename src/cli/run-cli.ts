import { CliUsageError } from './cli-usage-error.js';
import { CLI_COMMANDS } from './commands.js';
import { formatCommandHelp, formatProgramHelp, PROGRAM } from './format-help.js';
import { parseFlags } from './parse-flags.js';
import type { CliCommand, CliIo } from './types.js';

const HELP = new Set(['--help', '-h', 'help']);

/**
 * Runs the command line `argv` (without node and the script): picks the command from the
 * table, validates its flags, runs it. Resolves to the exit code: 0 done, 2 bad usage (the
 * message names the flag and what it accepts), or what the command returns.
 */
export async function runCli(
  argv: readonly string[],
  io: CliIo,
  commands: Readonly<Record<string, CliCommand>> = CLI_COMMANDS,
): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || HELP.has(name)) {
    (name === undefined ? io.err : io.out)(formatProgramHelp(commands));
    return name === undefined ? 2 : 0;
  }
  const command = Object.hasOwn(commands, name) ? commands[name] : undefined;
  if (!command) {
    io.err(`${PROGRAM}: unknown command '${name}'; commands: ${Object.keys(commands).join(', ')}\n`);
    return 2;
  }
  if (rest.some((arg) => arg === '--help' || arg === '-h')) {
    io.out(formatCommandHelp(name, command));
    return 0;
  }
  try {
    return await command.run(parseFlags(rest, command.flags, name), io);
  } catch (error) {
    if (!(error instanceof CliUsageError)) throw error;
    io.err(`${PROGRAM} ${name}: ${error.message}\nRun '${PROGRAM} ${name} --help' for its flags.\n`);
    return 2;
  }
}
