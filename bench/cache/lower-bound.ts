/**
 * The lower bound: the bill of a perfect cache over the same request sequence.
 *
 * Each request reads the longest prefix (at a content-block boundary) that an earlier
 * request had within its TTL, and writes the whole rest of its prompt at the configured
 * TTL; nothing is uncached. There is no limit of four checkpoints and no minimum token
 * count: every block boundary is a checkpoint. Entries live for the TTL after the request
 * that last wrote or read them (a hit restarts the TTL, as on Bedrock).
 *
 * Only boundaries where a checkpoint can take effect at all count: that is, the model's
 * and the provider's hard limits hold, nothing else:
 * - Nova: no checkpoint in the tools, none on a message holding tool uses or results, and
 *   nothing above its cache ceiling (~20K tokens, shared doc §3);
 * - Converse through @ai-sdk/amazon-bedrock 4: the provider never sends a tools checkpoint
 *   (shared doc §6), so a prefix ending inside the tools can't be cached there
 *   (InvokeModel can: see the `-invoke` workload);
 * - never right after a reasoning block (shared doc §1).
 *
 * Token counts are the emulator tokenizer's over the exact wire blocks (the same counts it
 * bills), so the bound and the measured bills are in the same units.
 */
import { readAnthropicPrompt } from '../../src/emulator/anthropic-prompt';
import { readConversePrompt } from '../../src/emulator/converse-prompt';
import { isRecord, type JsonRecord } from '../../src/emulator/json-utils';
import { resolveModelSpec } from '../../src/emulator/models';
import { prefixHashes, prefixTokenSums, TTL_MS } from '../../src/emulator/prompt-cache';
import type { EmulatorModelSpec } from '../../src/emulator/index';
import type { InputSplit } from './pricing';
import type { Api, Ttl } from './workloads';

/** Whether a tools checkpoint reaches Bedrock through the AI SDK provider (shared doc §6). */
const TOOL_CHECKPOINTS_REACH_WIRE: Record<Api, boolean> = { converse: false, invoke: true };

interface UnitInfo {
  section: 'tools' | 'system' | 'messages';
  /** Message index (messages only). */
  message: number;
  kind: 'content' | 'tool' | 'reasoning';
}

const list = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);

/** The units of a request in the emulator's order, with what decides where a checkpoint may go. */
function unitInfos(body: JsonRecord, api: Api): UnitInfo[] {
  const units: UnitInfo[] = [];
  if (api === 'converse') {
    const toolConfig = isRecord(body.toolConfig) ? body.toolConfig : {};
    for (const tool of list(toolConfig.tools)) if (!(isRecord(tool) && 'cachePoint' in tool)) units.push({ section: 'tools', message: -1, kind: 'content' });
    for (const block of list(body.system)) if (!(isRecord(block) && 'cachePoint' in block)) units.push({ section: 'system', message: -1, kind: 'content' });
    list(body.messages).forEach((message, index) => {
      for (const block of isRecord(message) ? list(message.content) : []) {
        if (!isRecord(block) || 'cachePoint' in block) continue;
        const kind = 'toolUse' in block || 'toolResult' in block ? 'tool' : 'reasoningContent' in block ? 'reasoning' : 'content';
        units.push({ section: 'messages', message: index, kind });
      }
    });
  } else {
    for (let i = 0; i < list(body.tools).length; i++) units.push({ section: 'tools', message: -1, kind: 'content' });
    const system = typeof body.system === 'string' ? [body.system] : list(body.system);
    for (let i = 0; i < system.length; i++) units.push({ section: 'system', message: -1, kind: 'content' });
    list(body.messages).forEach((message, index) => {
      const content = isRecord(message) ? (typeof message.content === 'string' ? [message.content] : list(message.content)) : [];
      for (const block of content) {
        const type = isRecord(block) ? block.type : 'text';
        const kind = type === 'tool_use' || type === 'tool_result' ? 'tool' : type === 'thinking' || type === 'redacted_thinking' ? 'reasoning' : 'content';
        units.push({ section: 'messages', message: index, kind });
      }
    });
  }
  return units;
}

/** `eligible[p]`: a checkpoint after the first `p` units could cache (see the module comment). */
function eligibility(units: UnitInfo[], sums: number[], spec: EmulatorModelSpec, api: Api): boolean[] {
  const toolTurns = new Set(units.filter((u) => u.kind === 'tool').map((u) => u.message));
  const eligible = [false];
  units.forEach((unit, i) => {
    const tokens = sums[i + 1] ?? 0;
    let ok = spec.caching;
    if (unit.section === 'tools') ok &&= spec.toolCheckpoints && TOOL_CHECKPOINTS_REACH_WIRE[api];
    if (unit.section === 'messages') {
      ok &&= unit.kind !== 'reasoning';
      if (spec.family === 'nova') ok &&= !toolTurns.has(unit.message);
    }
    if (spec.maxCachedTokens !== undefined) ok &&= tokens <= spec.maxCachedTokens;
    eligible.push(ok);
  });
  return eligible;
}

export interface WireRequest {
  body: unknown;
  /** Emulator clock (ms) when it was handled. */
  time: number;
}

export interface LowerBoundRequest {
  split: InputSplit;
  /** Identity of the whole prompt (checkpoints excluded), to check that strategies replayed the same requests. */
  promptHash: string;
}

/** The lower-bound token split of every request of a sequence (one model, one API). */
export function lowerBound(requests: readonly WireRequest[], modelId: string, api: Api, ttl: Ttl): LowerBoundRequest[] {
  const spec = resolveModelSpec(modelId);
  const expiry = new Map<string, number>();
  return requests.map(({ body, time }) => {
    if (!isRecord(body)) throw new Error('lower bound: a request without a JSON body');
    const layout = api === 'converse' ? readConversePrompt(body, spec) : readAnthropicPrompt(body, spec);
    const units = unitInfos(body, api);
    if (units.length !== layout.units.length) throw new Error(`lower bound: ${units.length} units, the emulator sees ${layout.units.length}`);
    const sums = prefixTokenSums(layout);
    const hashes = prefixHashes('lower-bound', layout);
    const eligible = eligibility(units, sums, spec, api);
    const n = units.length;

    let read = 0;
    for (let p = n; p > 0; p--) {
      if (eligible[p] && (expiry.get(hashes[p]!) ?? 0) > time) {
        read = p;
        break;
      }
    }
    let lastEligible = 0;
    for (let p = n; p > 0; p--) {
      if (eligible[p]) {
        lastEligible = p;
        break;
      }
    }
    for (let p = 1; p <= n; p++) if (eligible[p]) expiry.set(hashes[p]!, time + TTL_MS[ttl]);

    const total = sums[n] ?? 0;
    const cachedUpTo = Math.max(read, lastEligible);
    const written = (sums[cachedUpTo] ?? 0) - (sums[read] ?? 0);
    return {
      split: {
        uncached: total - (sums[cachedUpTo] ?? 0),
        read: sums[read] ?? 0,
        write: { '5m': ttl === '5m' ? written : 0, '1h': ttl === '1h' ? written : 0 },
      },
      promptHash: hashes[n]!,
    };
  });
}

/** Identity of a request's prompt without its checkpoints (same scope as the lower bound). */
export function promptHashOf(body: unknown, modelId: string, api: Api): string {
  const spec = resolveModelSpec(modelId);
  if (!isRecord(body)) return '';
  const layout = api === 'converse' ? readConversePrompt(body, spec) : readAnthropicPrompt(body, spec);
  return prefixHashes('lower-bound', layout).at(-1)!;
}
