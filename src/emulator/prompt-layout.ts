import { stableStringify } from './json-utils.js';
import { MESSAGE_OVERHEAD_TOKENS, type RequestOverhead } from './tokenizer.js';
import type { CacheTtl, EmulatorModelSpec } from './types.js';

/** Prompt sections in cache-prefix order (shared doc §1: tools → system → messages). */
export type PromptSection = 'tools' | 'system' | 'messages';

/** One content block of the prompt: a tool definition, a system block or a message block. */
export interface PromptUnit {
  section: PromptSection;
  /** Canonical identity of the block, including its role and message boundary. */
  key: string;
  /** Tokens of the block (with the message overhead on a message's first block). */
  tokens: number;
}

/** A checkpoint sitting after `position` units. */
export interface PromptCheckpoint {
  /** Number of units before the checkpoint. */
  position: number;
  /** Effective TTL. */
  ttl: CacheTtl;
  section: PromptSection;
}

/** The prompt as the cache sees it. */
export interface PromptLayout {
  units: PromptUnit[];
  checkpoints: PromptCheckpoint[];
  /** Hidden tokens after the last unit (the assistant turn's opening): input, never cached. */
  trailingTokens?: number;
}

/**
 * Hidden tokens of a request (the tokenizer's `countRequestOverhead`), and what decides the
 * hidden tool-use prompt (its key: a change there misses every message entry, not the tools
 * and system ones).
 */
export interface HiddenTokens extends RequestOverhead {
  /** Identity of the hidden prompt before the messages (e.g. the tool choice). */
  beforeMessagesKey: string;
}

/** Asks a prompt reader to count the request's hidden tokens, for this model id (unknown: the newest Claude figures). */
export interface HiddenTokenOptions {
  modelId?: string;
}

/**
 * The TTL a checkpoint gets (`cachePoint.ttl` / `cache_control.ttl`; absent is 5m, shared doc
 * §1). The validators reject a 1h TTL on a model without it (shared doc §1 2026-12); this
 * clamp only matters for a prompt read without validation (benchmarks).
 */
export function effectiveTtl(declared: unknown, spec: Pick<EmulatorModelSpec, 'ttls'>): CacheTtl {
  return declared === '1h' && spec.ttls.includes('1h') ? '1h' : '5m';
}

/** All input tokens of a layout: its units plus the trailing hidden tokens. */
export function layoutTotalTokens(layout: PromptLayout): number {
  return layout.units.reduce((sum, unit) => sum + unit.tokens, 0) + (layout.trailingTokens ?? 0);
}

/**
 * Incremental builder shared by the Converse and Anthropic prompt readers. Hidden tokens ride
 * on real units, so they add no block boundary (Claude's lookback counts content blocks):
 * the leading ones on the first unit, the pre-message ones on the first message's first block.
 */
export class PromptLayoutBuilder {
  private readonly layout: PromptLayout = { units: [], checkpoints: [] };
  private messageIndex = -1;
  private blockIndex = 0;

  private readonly hidden: HiddenTokens;

  constructor(hidden?: HiddenTokens) {
    this.hidden = hidden ?? { leading: 0, beforeMessages: 0, trailing: 0, beforeMessagesKey: '' };
  }

  /** Pushes a unit, with the leading hidden tokens on the very first one. */
  private push(unit: PromptUnit): void {
    if (this.layout.units.length === 0) unit.tokens += this.hidden.leading;
    this.layout.units.push(unit);
  }

  /** Adds a tool definition or a system block. */
  addBlock(section: 'tools' | 'system', block: unknown, tokens: number): void {
    this.push({ section, key: `${section}|${stableStringify(block)}`, tokens });
  }

  /** Starts a new message; the following `addMessageBlock` calls belong to it. */
  startMessage(): void {
    this.messageIndex++;
    this.blockIndex = 0;
  }

  /** Adds a block of the current message (role and message boundary are part of its key). */
  addMessageBlock(role: string, block: unknown, tokens: number): void {
    const boundary = this.blockIndex === 0 ? 'start' : 'cont';
    const overhead = this.blockIndex === 0 ? MESSAGE_OVERHEAD_TOKENS : 0;
    const first = this.messageIndex === 0 && this.blockIndex === 0;
    this.push({
      section: 'messages',
      key: `messages|${role}|${boundary}|${first ? `${this.hidden.beforeMessagesKey}|` : ''}${stableStringify(block)}`,
      tokens: tokens + overhead + (first ? this.hidden.beforeMessages : 0),
    });
    this.blockIndex++;
  }

  /** Places a checkpoint after the units added so far. */
  addCheckpoint(section: PromptSection, ttl: CacheTtl): void {
    this.layout.checkpoints.push({ position: this.layout.units.length, ttl, section });
  }

  /** The finished layout. */
  build(): PromptLayout {
    if (this.hidden.trailing > 0) this.layout.trailingTokens = this.hidden.trailing;
    return this.layout;
  }
}
