import type { EmulatorRequestLogEntry } from '../emulator/index.js';

/** `--log` formats: a human line, or one JSON object per line (JSON Lines). */
export type RequestLogFormat = 'text' | 'json';

/**
 * Characters a terminal or a log reader would act on: C0/C1 controls and DEL (a newline forges a
 * line, ESC starts a terminal sequence), the Unicode line and paragraph separators, and the
 * bidirectional overrides and isolates (they reorder what is shown).
 */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

/** `text` with each unsafe character written as a `\uXXXX` escape: safe to print on one line. */
export function escapeControlCharacters(text: string): string {
  return text.replace(UNSAFE, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

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
    // JSON.stringify escapes C0 controls; the separators and bidi controls are escaped too
    return `${escapeControlCharacters(JSON.stringify(record))}\n`;
  }
  const outcome = usage
    ? `uncached=${usage.inputTokens} read=${usage.cacheReadInputTokens} write=${usage.cacheWriteInputTokens} out=${usage.outputTokens}`
    : `${entry.errorType ?? 'error'}: ${entry.message ?? ''}`;
  // the model id comes decoded from the URL (%0A, %1B) and error messages may quote it
  const line = `${time.toISOString()} ${entry.operation ?? '(unknown operation)'} ${entry.modelId || '-'} ${entry.status} ${outcome}`;
  return `${escapeControlCharacters(line)}\n`;
}
