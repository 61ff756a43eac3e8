import type { EmulatorRequestLogEntry } from '../emulator/index.js';

/** `--log` formats: a human line, or one JSON object per line (JSON Lines). */
export type RequestLogFormat = 'text' | 'json';

/**
 * One line (with its newline) for a handled request: time, operation, model, status, then the
 * token usage (uncached input, cache read, cache write, output) or the error type and message.
 */
export function formatRequestLog(entry: EmulatorRequestLogEntry, format: RequestLogFormat, time: Date): string {
  const { usage } = entry;
  if (format === 'json') {
    const record = {
      time: time.toISOString(),
      operation: entry.operation ?? null,
      modelId: entry.modelId,
      status: entry.status,
      ...(usage && {
        inputTokens: usage.inputTokens,
        cacheReadInputTokens: usage.cacheReadInputTokens,
        cacheWriteInputTokens: usage.cacheWriteInputTokens,
        outputTokens: usage.outputTokens,
      }),
      ...(entry.errorType !== undefined && { errorType: entry.errorType }),
      ...(entry.message !== undefined && { message: entry.message }),
    };
    return `${JSON.stringify(record)}\n`;
  }
  const outcome = usage
    ? `uncached=${usage.inputTokens} read=${usage.cacheReadInputTokens} write=${usage.cacheWriteInputTokens} out=${usage.outputTokens}`
    : `${entry.errorType ?? 'error'}: ${entry.message ?? ''}`;
  return `${time.toISOString()} ${entry.operation ?? '(unknown operation)'} ${entry.modelId || '-'} ${entry.status} ${outcome}\n`;
}
