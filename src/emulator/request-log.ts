import type { EmulatorRequestLogEntry, EmulatorRequestLogOptions } from './types.js';

/**
 * The request-log bounds of `startBedrockEmulator` (a server: its memory must stay bounded):
 * plenty for a test suite, small beside a long-running process. In process
 * (`createBedrockEmulator`), the log is unbounded unless limited: tests and benchmarks read all of it.
 */
export const SERVER_REQUEST_LOG = { maxEntries: 10_000, maxBodyBytes: 64 * 1024 * 1024 } as const;

/** An entry as the emulator produces it: the body it parsed, if any, travels beside the entry until the log decides. */
export type NewLogEntry = Omit<EmulatorRequestLogEntry, 'body'> & { body?: unknown };

/**
 * The emulator's request log, bounded by entry count and by the bytes of the bodies it keeps.
 * Entries beyond either bound are dropped oldest first. Only accepted requests (2xx) keep
 * their body, and only with `bodies: 'full'`; every entry keeps `bodyBytes`.
 */
export class RequestLog {
  readonly entries: EmulatorRequestLogEntry[] = [];
  private keptBodyBytes = 0;
  private readonly maxEntries: number;
  private readonly maxBodyBytes: number;
  private readonly keepBodies: boolean;

  constructor(
    options: EmulatorRequestLogOptions = {},
    private readonly onRequest?: (entry: EmulatorRequestLogEntry) => void,
  ) {
    this.maxEntries = options.maxEntries ?? Number.POSITIVE_INFINITY;
    this.maxBodyBytes = options.maxBodyBytes ?? Number.POSITIVE_INFINITY;
    this.keepBodies = (options.bodies ?? 'full') === 'full';
  }

  /** Adds one entry (dropping its body unless it is kept), then tells `onRequest`. */
  add(next: NewLogEntry): void {
    const { body, ...rest } = next;
    const keep = this.keepBodies && body !== undefined && next.status < 300 && next.bodyBytes <= this.maxBodyBytes;
    const entry: EmulatorRequestLogEntry = keep ? { ...rest, body } : rest;
    if (this.maxEntries > 0) {
      this.entries.push(entry);
      if (keep) this.keptBodyBytes += entry.bodyBytes;
      while (this.entries.length > this.maxEntries || this.keptBodyBytes > this.maxBodyBytes) this.dropOldest();
    }
    try {
      this.onRequest?.(entry);
    } catch {
      // an observer's failure never fails a request
    }
  }

  /** Empties the log. */
  clear(): void {
    this.entries.length = 0;
    this.keptBodyBytes = 0;
  }

  private dropOldest(): void {
    const dropped = this.entries.shift();
    if (dropped && 'body' in dropped) this.keptBodyBytes -= dropped.bodyBytes;
  }
}

/** Checks `requestLog` at construction: each bound a non-negative integer or `Infinity`, `bodies` one of its two values. */
export function checkRequestLogOptions(options: EmulatorRequestLogOptions | undefined): void {
  if (options === undefined) return;
  for (const name of ['maxEntries', 'maxBodyBytes'] as const) {
    const value = options[name];
    if (value !== undefined && !((Number.isInteger(value) && value >= 0) || value === Number.POSITIVE_INFINITY)) {
      throw new TypeError(`requestLog.${name} must be a non-negative integer or Infinity (got ${String(value)})`);
    }
  }
  if (options.bodies !== undefined && options.bodies !== 'full' && options.bodies !== 'none') {
    throw new TypeError(`requestLog.bodies must be 'full' or 'none' (got ${String(options.bodies)})`);
  }
}
