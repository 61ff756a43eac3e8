/**
 * Fixture bodies are sent as written, except for two placeholders inside strings:
 *  - `{{nonce}}`: a per-run, per-fixture token, so a fixture that expects a cold cache finds one
 *    even right after another run (real Bedrock keeps entries for 5 minutes);
 *  - `{{words:N}}`: N common English words (deterministic), the cheap way to reach a model's
 *    minimum: each is one token for Claude and Nova, and one for the emulator.
 */

/** Short, common words: one token each in Claude's and Nova's vocabularies. */
const WORDS = (
  'the of and to in is that for it as was with be by on not he this are or his from at which but have an they you ' +
  'were her she there been one all we their has would when if so no what up out who them some into more other time ' +
  'could than first its two may then do any like these over only new also people my made after did many most well ' +
  'way just make before see must through back years where much your good down should because each those day how too'
).split(' ');

/** N deterministic words, one line per 16 words. */
export function fillerWords(count: number): string {
  const out: string[] = [];
  for (let i = 0; i < count; i++) {
    // a stride coprime with the list length, so neighbouring lines differ
    out.push((WORDS[(i * 7 + Math.floor(i / WORDS.length)) % WORDS.length] ?? 'the') + ((i + 1) % 16 === 0 ? '\n' : ''));
  }
  return out.join(' ').replace(/\n /g, '\n');
}

const PLACEHOLDER = /\{\{(nonce|words:(\d+))\}\}/g;

/** A deep copy of `value` with the placeholders of every string expanded. */
export function expandPlaceholders(value: unknown, nonce: string): unknown {
  if (typeof value === 'string') {
    return value.replace(PLACEHOLDER, (_match, name: string, count?: string) =>
      name === 'nonce' ? nonce : fillerWords(Number(count)),
    );
  }
  if (Array.isArray(value)) return value.map((item) => expandPlaceholders(item, nonce));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, expandPlaceholders(item, nonce)]));
  }
  return value;
}
