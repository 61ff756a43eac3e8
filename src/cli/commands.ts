import { reportCommand } from '../report/report-command.js';
import { emulatorCommand } from './emulator-command.js';
import type { CliCommand } from './types.js';

/** The subcommands of `ai-sdk-bedrock-cache`, by name: a new command is one entry here. */
export const CLI_COMMANDS: Readonly<Record<string, CliCommand>> = {
  emulator: emulatorCommand,
  report: reportCommand,
};
