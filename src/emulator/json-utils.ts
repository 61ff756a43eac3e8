/** Small JSON helpers for the emulator. */

/** A plain JSON object. */
export type JsonRecord = Record<string, unknown>;

/** Is `value` a non-array object? */
export function isRecord(value: unknown): value is JsonRecord {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** `JSON.stringify` with object keys sorted, so equal values give equal strings. */
export function stableStringify(value: unknown): string {
  return jsonText(value ?? null, true);
}

type Frame =
  | { array: readonly unknown[]; index: number }
  | { object: Record<string, unknown>; keys: string[]; index: number; first: boolean };

/**
 * `JSON.stringify(value)` (optionally with object keys sorted) for JSON data, without
 * recursion: a request body nested 100,000 levels deep is text like any other (the recursive
 * walk overflowed the stack and answered 500). Follows JSON.stringify for what JSON data and
 * scripted replies hold: `toJSON`, `undefined` / functions (dropped from objects, `null` in
 * arrays), non-finite numbers (`null`).
 */
export function jsonText(value: unknown, sortKeys = false): string {
  const out: string[] = [];
  const stack: Frame[] = [];
  /** Writes a primitive, or opens an array / object frame. Returns false for a value JSON omits. */
  const write = (raw: unknown): boolean => {
    const item = isRecord(raw) && typeof raw.toJSON === 'function' ? (raw.toJSON as () => unknown)() : raw;
    if (item === undefined || typeof item === 'function' || typeof item === 'symbol') return false;
    if (Array.isArray(item)) {
      out.push('[');
      stack.push({ array: item, index: 0 });
    } else if (isRecord(item)) {
      const keys = Object.keys(item);
      out.push('{');
      stack.push({ object: item, keys: sortKeys ? keys.sort() : keys, index: 0, first: true });
    } else {
      out.push(typeof item === 'bigint' ? String(item) : (JSON.stringify(item) ?? 'null'));
    }
    return true;
  };
  if (!write(value)) return 'null';
  while (stack.length > 0) {
    const frame = stack[stack.length - 1]!;
    if ('array' in frame) {
      if (frame.index >= frame.array.length) {
        out.push(']');
        stack.pop();
        continue;
      }
      if (frame.index > 0) out.push(',');
      if (!write(frame.array[frame.index++])) out.push('null');
    } else {
      if (frame.index >= frame.keys.length) {
        out.push('}');
        stack.pop();
        continue;
      }
      const key = frame.keys[frame.index++]!;
      const field = frame.object[key];
      if (field === undefined || typeof field === 'function' || typeof field === 'symbol') continue;
      out.push(`${frame.first ? '' : ','}${JSON.stringify(key)}:`);
      frame.first = false;
      write(field);
    }
  }
  return out.join('');
}

/** `value` if it is a string, else `undefined`. */
export function asString(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/** `value` if it is an array, else `undefined`. */
export function asArray(value: unknown): unknown[] | undefined {
  return Array.isArray(value) ? value : undefined;
}
