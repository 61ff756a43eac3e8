import type { CliCommand, FlagSpec } from './types.js';

/** The program name, as installed by package.json's `bin`. */
export const PROGRAM = 'ai-sdk-bedrock-cache';

/** `--port <n>`, `--log [text|json]`, `--stream-cache-details`. */
function flagSignature(spec: FlagSpec): string {
  if (spec.type === 'boolean') return `--${spec.name}`;
  const value = spec.type === 'enum' ? (spec.values ?? []).join('|') : `<${spec.valueName ?? spec.type}>`;
  return spec.bareValue === undefined ? `--${spec.name} ${value}` : `--${spec.name} [${value}]`;
}

/** Aligns two columns. */
function table(rows: ReadonlyArray<readonly [string, string]>): string {
  const width = Math.max(...rows.map(([left]) => left.length));
  return rows.map(([left, right]) => `  ${left.padEnd(width)}  ${right}`).join('\n');
}

/** Help of the whole program: the command list. */
export function formatProgramHelp(commands: Readonly<Record<string, CliCommand>>): string {
  const rows = Object.entries(commands).map(([name, command]) => [name, command.summary] as const);
  return `Usage: ${PROGRAM} <command> [flags]\n\nCommands:\n${table(rows)}\n\nRun '${PROGRAM} <command> --help' for a command's flags.\n`;
}

/** Help of one command: its flags and details. */
export function formatCommandHelp(name: string, command: CliCommand): string {
  const rows = [...command.flags.map((spec) => [flagSignature(spec), spec.description] as const), ['--help', 'show this help'] as const];
  const details = command.details === undefined ? '' : `\n${command.details.trimEnd()}\n`;
  return `Usage: ${PROGRAM} ${name} [flags]\n\n${command.summary}\n\nFlags:\n${table(rows)}\n${details}`;
}
