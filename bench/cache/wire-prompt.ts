/**
 * A request's prompt as the emulator's cache sees it: its content blocks in prefix order,
 * the emulator's token count of every prefix, every prefix's identity, and where a
 * checkpoint could take effect at all. The bounds (lower-bound.ts, clairvoyant.ts) price the
 * same prompts the strategies sent, in the emulator's own units.
 *
 * This is the benchmark's only use of the emulator beyond its public API: the prompt readers
 * and prefix hashing are the emulator's billing itself (hidden tokens included), and no
 * public function exposes them. Reading the wire ourselves would copy the emulator's
 * tokenizer rules and drift from them (they changed while this was written). If the
 * emulator ever exports a layout reader, only this file changes. Its token counts are
 * checked against every billed request (measure.ts: each read and each read + write the
 * emulator reported must be one of these prefix sums), so a drift fails loudly.
 */
import { readAnthropicPrompt } from '../../src/emulator/anthropic-prompt';
import { readConversePrompt } from '../../src/emulator/converse-prompt';
import { isRecord, type JsonRecord } from '../../src/emulator/json-utils';
import { prefixHashes, prefixTokenSums } from '../../src/emulator/prompt-cache';
import { resolveModelSpec, type EmulatorModelSpec } from '../../src/emulator/index';
import type { Api } from './workloads';

/** Whether a tools checkpoint reaches Bedrock through the AI SDK provider (shared doc §6). */
const TOOL_CHECKPOINTS_REACH_WIRE: Record<Api, boolean> = { converse: false, invoke: true };

interface UnitInfo {
  section: 'tools' | 'system' | 'messages';
  /** Message index (messages only). */
  message: number;
  kind: 'content' | 'tool' | 'reasoning';
}

export interface WirePrompt {
  spec: EmulatorModelSpec;
  /** Content blocks (checkpoints excluded). */
  units: number;
  /** `sums[p]`: emulator tokens of the first `p` blocks (hidden tokens included where the emulator puts them). */
  sums: number[];
  /** `hashes[p]`: identity of the first `p` blocks. */
  hashes: string[];
  /**
   * `cacheable[p]`: a checkpoint after the first `p` blocks can cache at all, by the model's
   * and the provider's hard rules, minimum tokens aside:
   * - Nova: no checkpoint in the tools, none on a message holding tool uses or results, and
   *   nothing above its cache ceiling (~20K tokens, shared doc §3);
   * - Converse through @ai-sdk/amazon-bedrock: the provider never sends a tools checkpoint
   *   (shared doc §6), so a prefix ending inside the tools can't be cached there;
   * - never right after a reasoning block (shared doc §1).
   */
  cacheable: boolean[];
}

const list = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);

/** The blocks of a request in the emulator's order, with what decides where a checkpoint may go. */
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

/** Reads already done, by body (the bounds and the checks read the same logged bodies). */
const read = new WeakMap<object, Map<string, WirePrompt>>();

/** Reads one request body (one model, one API). */
export function readWirePrompt(body: unknown, modelId: string, api: Api): WirePrompt {
  if (!isRecord(body)) throw new Error('bench: a request without a JSON body');
  const key = `${api} ${modelId}`;
  const known = read.get(body)?.get(key);
  if (known) return known;
  const prompt = readUncached(body, modelId, api);
  read.set(body, (read.get(body) ?? new Map<string, WirePrompt>()).set(key, prompt));
  return prompt;
}

function readUncached(body: JsonRecord, modelId: string, api: Api): WirePrompt {
  const spec = resolveModelSpec(modelId);
  // As the benchmark's emulator reads it: with hidden tokens (measure.ts turns them on).
  const hidden = { modelId };
  const layout = api === 'converse' ? readConversePrompt(body, spec, hidden) : readAnthropicPrompt(body, spec, hidden);
  const units = unitInfos(body, api);
  if (units.length !== layout.units.length) throw new Error(`bench: ${units.length} blocks, the emulator sees ${layout.units.length}`);
  const sums = prefixTokenSums(layout);
  const toolTurns = new Set(units.filter((u) => u.kind === 'tool').map((u) => u.message));
  const cacheable = [false];
  units.forEach((unit, i) => {
    let ok = spec.caching;
    if (unit.section === 'tools') ok &&= spec.toolCheckpoints && TOOL_CHECKPOINTS_REACH_WIRE[api];
    if (unit.section === 'messages') {
      ok &&= unit.kind !== 'reasoning';
      if (spec.family === 'nova') ok &&= !toolTurns.has(unit.message);
    }
    if (spec.maxCachedTokens !== undefined) ok &&= (sums[i + 1] ?? 0) <= spec.maxCachedTokens;
    cacheable.push(ok);
  });
  return { spec, units: units.length, sums, hashes: prefixHashes('bench', layout), cacheable };
}

/** Identity of a request's prompt without its checkpoints. */
export const promptHashOf = (body: unknown, modelId: string, api: Api): string => readWirePrompt(body, modelId, api).hashes.at(-1)!;

/** One request as the emulator logged it. */
export interface WireRequest {
  body: unknown;
  /** Emulator clock (ms) when it arrived: lookups and lifetimes count from here (shared doc §1 Timing). */
  time: number;
  /** All input tokens the emulator billed (read + written + uncached), hidden tokens included. */
  total: number;
}
