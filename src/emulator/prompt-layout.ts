import { stableStringify } from './json-utils.js';
import { MESSAGE_OVERHEAD_TOKENS } from './tokenizer.js';
import type { CacheTtl } from './types.js';

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
}

/** Incremental builder shared by the Converse and Anthropic prompt readers. */
export class PromptLayoutBuilder {
  private readonly layout: PromptLayout = { units: [], checkpoints: [] };
  private messageIndex = -1;
  private blockIndex = 0;

  /** Adds a tool definition or a system block. */
  addBlock(section: 'tools' | 'system', block: unknown, tokens: number): void {
    this.layout.units.push({ section, key: `${section}|${stableStringify(block)}`, tokens });
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
    this.layout.units.push({
      section: 'messages',
      key: `messages|${role}|${boundary}|${stableStringify(block)}`,
      tokens: tokens + overhead,
    });
    this.blockIndex++;
  }

  /** Places a checkpoint after the units added so far. */
  addCheckpoint(section: PromptSection, ttl: CacheTtl): void {
    this.layout.checkpoints.push({ position: this.layout.units.length, ttl, section });
  }

  /** The finished layout. */
  build(): PromptLayout {
    return this.layout;
  }
}
