/** A bad command line (unknown command or flag, bad value): printed without a stack, exit 2. */
export class CliUsageError extends Error {
  override readonly name = 'CliUsageError';
}
