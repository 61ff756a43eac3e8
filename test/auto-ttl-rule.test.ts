/**
 * The `ttl: 'auto'` rule's arithmetic on the price table's own figures (src/pricing): 1h
 * exactly when p × (w5 − r) > s × (w1h − w5). End-to-end behaviour is in
 * test/ttl-auto-and-warm-up.test.ts; this pins the threshold.
 */
import { describe, expect, it } from 'vitest';
import { chooseAutoTtl } from '../src/ledger/auto-ttl';
import { modelPrices } from '../src/pricing';
import { NOVA, SONNET } from './support/fixtures';

const sonnet = modelPrices(SONNET)!;
const reuse = (within5m: number, within1h: number, writeShare = 1) => ({ within5m, within1h, beyond1h: 0, writeShare });

describe("ttl: 'auto' rule", () => {
  it('Sonnet: tools and system take 1h above p = 0.75 / 1.15 ≈ 0.652 of reuses after 5–60 min', () => {
    // prices per token: write 5m 1.25×, 1h 2×, read 0.1× (shared doc §4)
    const threshold = (sonnet.cacheWrite1h! - sonnet.cacheWrite5m) / (sonnet.cacheWrite5m - sonnet.cacheRead);
    expect(threshold).toBeCloseTo(0.652, 3);
    expect(chooseAutoTtl(reuse(35, 65), sonnet).ttl.system).toBe('5m'); // p = 0.65 < 0.652
    expect(chooseAutoTtl(reuse(34, 66), sonnet).ttl.system).toBe('1h'); // p = 0.66
  });

  it('messages take 1h at a share of long reuses scaled by how much of the prefix a call writes', () => {
    // a chat turn writing 10% of its prefix: 1h pays from p > 0.0652
    expect(chooseAutoTtl(reuse(94, 6, 0.1), sonnet).ttl).toEqual({ tools: '5m', system: '5m', messages: '5m' });
    const chosen = chooseAutoTtl(reuse(93, 7, 0.1), sonnet);
    // TTL order (§1): a 1h messages checkpoint takes the earlier sections to 1h
    expect(chosen.ttl).toEqual({ tools: '1h', system: '1h', messages: '1h' });
    expect(chosen.why).toContain('7 of 100 reuses came after 5–60 min');
  });

  it('5m with no reuse seen, and on a model without a 1h price', () => {
    expect(chooseAutoTtl(reuse(0, 0), sonnet).ttl.messages).toBe('5m');
    expect(chooseAutoTtl(reuse(0, 10), modelPrices(NOVA)).ttl.messages).toBe('5m');
  });
});
