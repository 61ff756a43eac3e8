/**
 * Types of the `ai-sdk-bedrock-cache` command line: a table of subcommands, each one entry.
 */

/** Where a command writes: stdout for what a user consumes, stderr for diagnostics. */
export interface CliIo {
  /** Writes to standard output (text as given; add the newline yourself). */
  out(text: string): void;
  /** Writes to standard error. */
  err(text: string): void;
}

/** A flag's value type. `enum` takes one of `values`; `boolean` takes none. */
export type FlagType = 'string' | 'integer' | 'number' | 'boolean' | 'enum';

/** One `--flag` of a command. */
export interface FlagSpec {
  /** Name without the leading dashes (`port` for `--port`). */
  name: string;
  type: FlagType;
  /** For `enum`: the allowed values. */
  values?: readonly string[];
  /**
   * For `enum`: the value when the flag stands alone (`--log` = `--log text`). Without it the
   * flag needs a value.
   */
  bareValue?: string;
  /** Placeholder in the help (`--port <n>`). */
  valueName?: string;
  /** Whether the flag may be given several times (values collected in order). */
  repeatable?: boolean;
  /** For `integer` / `number`: inclusive bounds. */
  min?: number;
  max?: number;
  /** For `number`: whether `min` itself is excluded (`> 0` rather than `≥ 0`). */
  exclusiveMin?: boolean;
  /** One-line description for the help. */
  description: string;
}

/** Parsed flag values by name: string / number / boolean, or arrays for repeatable flags. */
export type FlagValues = Record<string, string | number | boolean | string[] | undefined>;

/** A subcommand: its help and what it does. Add one to `CLI_COMMANDS` to ship it. */
export interface CliCommand {
  /** One line for the top-level help. */
  summary: string;
  /** Flags, validated before `run` is called; shown in `<command> --help`. */
  flags: readonly FlagSpec[];
  /** Extra help text (examples) after the flag list. */
  details?: string;
  /**
   * Runs the command with validated flags; resolves to the process exit code. A long-running
   * command (a server) resolves when it has shut down.
   */
  run(flags: FlagValues, io: CliIo): Promise<number>;
}
