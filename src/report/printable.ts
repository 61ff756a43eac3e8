/** C0 and C1 controls, DEL, line and paragraph separators, and the bidirectional overrides that reorder what a terminal shows. */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const UNPRINTABLE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

/**
 * Text from a log (model ids, miss reasons) made safe to print: controls shown as `\u001b`
 * escapes, so `\u001b[2J` can't clear the screen nor `\n` forge a line, and cut to `max`
 * characters with an ellipsis.
 */
export function printable(text: string, max = 120): string {
  const escaped = text.replace(UNPRINTABLE, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  return escaped.length > max ? `${escaped.slice(0, max - 1)}…` : escaped;
}
