/**
 * A day of cache-usage log lines (JSON Lines, as cacheUsageJsonlSink writes them, with the
 * ledger's `prefix` path of contract C4), generated deterministically for the report's tests
 * and its screenshot: a night batch on Nova Pro, support chats on Sonnet 4.5 through the
 * working day (a lunch break, the afternoon's system prompt changed at 14:00), triage calls
 * on Haiku 4.5, pauses past the 5-minute TTL, a few lines from a process that logged no
 * prefix, a torn last line and one line with a negative cost.
 *
 * The logged counts come from a simple placement simulated here (a checkpoint at the end of
 * the system prompt and one at the end of the prompt, 5m, reads at any earlier boundary),
 * priced with the library's table: ordinary traffic, not a best case, so the what-if has
 * something to say.
 */
import { cacheCost, modelPrices } from '../../src/pricing';
import type { CacheLogEntry } from '../../src/node';
import { HAIKU, NOVA, SONNET } from './fixtures';

const MINUTE = 60_000;
const TTL = 5 * MINUTE;
const DAY = Date.UTC(2026, 11, 1);
const at = (hh: number, mm: number, ss = 0) => DAY + ((hh * 60 + mm) * 60 + ss) * 1000;

/** Deterministic pseudo-random numbers in [0, 1) (mulberry32). */
function rng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Call {
  time: number;
  modelId: string;
  /** Node ids and cumulative tokens of the prompt's boundaries. */
  nodes: string[];
  tokens: number[];
}

/** The day's calls in time order. */
function calls(): Call[] {
  const random = rng(20261201);
  const out: Call[] = [];
  const conversation = (modelId: string, system: string, systemTokens: number, start: number, turns: number, session: string, gapMs: () => number) => {
    const nodes = [system];
    const tokens = [systemTokens];
    let time = start;
    for (let turn = 0; turn < turns; turn++) {
      // the prompt ends with this turn's question; the next one adds the answer
      nodes.push(`${session}:q${turn}`);
      tokens.push(tokens.at(-1)! + 40 + Math.floor(random() * 120));
      out.push({ time, modelId, nodes: [...nodes], tokens: [...tokens] });
      nodes.push(`${session}:a${turn}`);
      tokens.push(tokens.at(-1)! + 150 + Math.floor(random() * 400));
      time += gapMs();
    }
  };
  // 02:00–02:40: a night batch on Nova Pro, one document summarised per call behind one instruction
  for (let i = 0; i < 60; i++) conversation(NOVA, 'nova:batch-instructions', 1800, at(2, 0) + i * 40_000, 1, `batch${i}`, () => 0);
  // 08:00–17:30: support chats on Sonnet 4.5 and a triage call on Haiku 4.5 before each
  let time = at(8, 0);
  let session = 0;
  while (time < at(17, 30)) {
    if (time >= at(12, 0) && time < at(13, 0)) {
      time = at(13, 0) + Math.floor(random() * 10 * MINUTE); // lunch: nobody
      continue;
    }
    const system = time < at(14, 0) ? 'sonnet:support-v1' : 'sonnet:support-v2';
    conversation(HAIKU, 'haiku:triage', 5200, time, 1, `triage${session}`, () => 0);
    const turns = 2 + Math.floor(random() * 5);
    conversation(SONNET, system, 3600, time + 4000, turns, `chat${session}`, () => 20_000 + Math.floor(random() * (random() < 0.15 ? 9 * MINUTE : 90_000)));
    session++;
    // busy in the late morning, quiet after 16:00, now and then a pause past the TTL
    const busy = time < at(11, 0) || time > at(16, 0) ? 1 : 0.4;
    time += Math.floor((60_000 + random() * 4 * MINUTE) * busy + (random() < 0.12 ? 15 * MINUTE + random() * 25 * MINUTE : 0));
  }
  return out.sort((a, b) => a.time - b.time);
}

/** The lines the day writes: what a placement with a checkpoint at the system prompt's end and one at the prompt's end would have reported. */
export function cacheLogDay(): { lines: string[]; entries: CacheLogEntry[] } {
  const live = new Map<string, Map<string, number>>();
  const seen = new Map<string, Set<string>>();
  const entries: CacheLogEntry[] = [];
  for (const call of calls()) {
    const cache = live.get(call.modelId) ?? live.set(call.modelId, new Map()).get(call.modelId)!;
    const written = seen.get(call.modelId) ?? seen.set(call.modelId, new Set()).get(call.modelId)!;
    const total = call.tokens.at(-1)!;
    let read = -1;
    for (let i = call.nodes.length - 1; i >= 0; i--) {
      if ((cache.get(call.nodes[i]!) ?? 0) > call.time) {
        read = i;
        break;
      }
    }
    const readTokens = read >= 0 ? call.tokens[read]! : 0;
    // checkpoints: the system prompt's end and the prompt's end (the boundary after the last one: the whole prompt)
    const ends = [0, call.nodes.length - 1].filter((i) => i > read);
    const writeTokens = ends.length > 0 ? total - readTokens : 0;
    for (let i = 0; i <= read; i++) if (cache.has(call.nodes[i]!)) cache.set(call.nodes[i]!, call.time + TTL);
    const expired = call.nodes.some((node, i) => i > read && written.has(node));
    const cacheMiss =
      written.size === 0
        ? { reason: 'first-call' as const, message: 'first call' }
        : expired
          ? { reason: 'ttl-expired' as const, message: 'the entry expired', ttl: '5m' as const }
          : read < 0 && call.nodes[0] === 'sonnet:support-v2'
            ? { reason: 'prefix-changed' as const, message: 'the system prompt changed', section: 'system' as const }
            : undefined;
    for (const i of ends) {
      cache.set(call.nodes[i]!, call.time + TTL);
      written.add(call.nodes[i]!);
    }
    const usage = { cacheReadInputTokens: readTokens, cacheWriteInputTokens: writeTokens, uncachedInputTokens: total - readTokens - writeTokens };
    const prices = modelPrices(call.modelId)!;
    const cost = cacheCost(usage, prices);
    entries.push({
      time: new Date(call.time).toISOString(),
      modelId: call.modelId,
      callType: 'stream',
      ...usage,
      totalInputTokens: total,
      hitRatio: readTokens / total,
      cacheDetails: [{ ttl: '5m', inputTokens: writeTokens }],
      checkpoints: { added: 2, existing: 0 },
      costUsd: cost.costUsd,
      costWithoutCacheUsd: cost.costWithoutCacheUsd,
      savedUsd: cost.savedUsd,
      ...(cacheMiss && { cacheMiss }),
      prefix: { nodes: call.nodes, tokens: call.tokens },
    });
  }
  const lines = entries.map((entry, i) => {
    // an older process (no ledger prefix) served a few of the afternoon's calls
    if (i % 97 === 13) {
      const { prefix: _prefix, ...older } = entry;
      return JSON.stringify(older);
    }
    return JSON.stringify(entry);
  });
  lines.splice(200, 0, JSON.stringify({ ...entries[199]!, costUsd: -1, time: entries[199]!.time }));
  lines.push('{"time":"2026-12-01T23:59:59.000Z","cacheRead'); // cut off by a crash
  return { lines, entries };
}
