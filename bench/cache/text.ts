/**
 * Deterministic text for the benchmark workloads. Every word has at most 8 letters, so by
 * the emulator tokenizer's rules (src/emulator/tokenizer.ts) each word is one token and a
 * text of `n` words costs about `n` tokens (plus its punctuation).
 */

const VOCABULARY = [
  'cache', 'bedrock', 'prefix', 'token', 'model', 'request', 'answer', 'policy', 'customer', 'order',
  'refund', 'shipping', 'invoice', 'account', 'region', 'latency', 'budget', 'tenant', 'ledger', 'report',
  'metric', 'window', 'quota', 'replica', 'cluster', 'service', 'deploy', 'rollback', 'incident', 'owner',
  'review', 'contract', 'clause', 'section', 'vendor', 'payment', 'balance', 'forecast', 'margin', 'segment',
];

/** A small, seedable linear congruential generator (same numbers on every platform). */
export function rng(seed: number): () => number {
  let x = (seed * 2654435761) % 2147483648;
  return () => {
    x = (x * 1103515245 + 12345) % 2147483648;
    return x / 2147483648;
  };
}

/** Deterministic prose of `words` words, in sentences of 8–19 words. */
export function prose(words: number, seed: number): string {
  const next = rng(seed + 1);
  const out: string[] = [];
  let sentence = 0;
  let length = 8 + Math.floor(next() * 12);
  for (let i = 0; i < words; i++) {
    let word = VOCABULARY[Math.floor(next() * VOCABULARY.length)]!;
    if (sentence === 0) word = word.charAt(0).toUpperCase() + word.slice(1);
    sentence++;
    if (sentence === length || i === words - 1) {
      word += '.';
      sentence = 0;
      length = 8 + Math.floor(next() * 12);
    }
    out.push(word);
  }
  return out.join(' ');
}

/** A whole number in [min, max], from `next`. */
export function between(next: () => number, min: number, max: number): number {
  return min + Math.floor(next() * (max - min + 1));
}
