import type { ModelProfile } from '../model/model-profile';
import type { CacheTtl } from '../model/model-table';
import type { CheckpointLocation, ExistingCheckpoint, PromptLayout, Slot } from '../prompt/read-prompt';
import type { CacheSection } from '../types';

/** Bedrock accepts at most this many checkpoints per request, all sections together. */
export const MAX_CHECKPOINTS = 4;

/**
 * "About 20 blocks" is not exact: a previous-request checkpoint counts as needed once
 * the turn since it adds more than this many blocks fewer than the model's lookback.
 */
const LOOKBACK_MARGIN = 4;

/** Why a checkpoint is in the plan, in order of priority when the budget is short. */
export type CheckpointRole = 'last-message' | 'previous-request' | 'system' | 'tools';

export interface PlannedCheckpoint {
  role: CheckpointRole;
  section: CacheSection;
  /** Tool index (tools) or prompt message index (system, messages). */
  index: number;
  /** A part of that message, when the checkpoint can't go at the message's end. */
  partIndex?: number;
  ttl: CacheTtl;
  /** The block right before it is a document (see recovery/). */
  afterDocument?: boolean;
}

/** A change to one of the caller's own checkpoints that makes the request one Bedrock accepts. */
export interface CheckpointRepair {
  at: CheckpointLocation;
  action: 'drop' | 'lower-to-5m';
}

/** The options one call is planned with: the middleware's, with the call's own on top. */
export interface PlanOptions {
  ttl: Record<CacheSection, CacheTtl>;
  cache: Record<CacheSection, boolean>;
  minMessagesToCache: number;
  repairCheckpoints: boolean;
  /**
   * From the ledger: a write at or after this place would not repay itself (the prompt leaves
   * the ledger's tree where traffic seldom comes back), so no checkpoint is written there: a
   * section, or the prompt index of the first message not to mark.
   */
  unreadableFrom?: 'tools' | 'system' | { message: number };
  /** Why, for the debug decisions. */
  unreadableWhy?: string;
  /**
   * From the ledger: this conversation's last call did not keep the previous call's last
   * message in its history (RAG passages dropped after use), so a write there is never
   * read: the last-message checkpoint closes the history before it instead.
   */
  lastTurnDropped?: boolean;
}

export interface PlanDecision {
  role: CheckpointRole;
  /** Prompt message index or tool index, when there was a place to decide on. */
  index?: number;
  outcome: 'placed' | 'kept' | 'skipped';
  why: string;
}

export interface CheckpointPlan {
  /** Checkpoints to add, in prefix order. */
  checkpoints: PlannedCheckpoint[];
  /** What was decided for each candidate, and why (for debugging; holds no prompt text). */
  decisions: PlanDecision[];
  /** Things the caller should know, for the call's `warnings`. */
  warnings: string[];
  /** Checkpoints already in the prompt that reach Bedrock (after repairs). */
  existingCount: number;
  /** Changes to the caller's checkpoints, so that Bedrock accepts the request. */
  repairs: CheckpointRepair[];
  /** The caller's checkpoints as sent, after repairs, in prefix order. */
  kept: ExistingCheckpoint[];
  /** A TTL the configuration asked for was lowered to one the model has. */
  ttlLowered: boolean;
}

interface Chosen {
  role: CheckpointRole;
  slot: Slot;
  decision: PlanDecision;
}

const TTL_RANK: Record<CacheTtl, number> = { '5m': 0, '1h': 1 };
const longer = (a: CacheTtl, b: CacheTtl): CacheTtl => (TTL_RANK[a] >= TTL_RANK[b] ? a : b);
const shorter = (a: CacheTtl, b: CacheTtl): CacheTtl => (TTL_RANK[a] <= TTL_RANK[b] ? a : b);

/** The nearest slot at or before `from` where a checkpoint is allowed. */
function nearestEligible(slots: readonly Slot[], from: number): Slot | undefined {
  for (let i = from; i >= 0; i--) {
    const slot = slots[i];
    if (slot && slot.ineligible === undefined) return slot;
  }
  return undefined;
}

/**
 * Where a checkpoint is, in words for a warning (no prompt text). Messages are counted
 * without the system messages, as in `messages` next to `system`.
 */
function describeLocation(at: CheckpointLocation, layout: PromptLayout): string {
  if (at.section === 'tools') return `tool ${at.tool}`;
  const where = at.section === 'system' ? 'the system prompt' : `message ${layout.messageSlots.findIndex((slot) => slot.index === at.message)}`;
  return at.part === undefined ? where : `${where} part ${at.part}`;
}

/**
 * Repairs the caller's own checkpoints when Bedrock would reject them, the way the AI SDK's
 * Anthropic provider drops a fifth breakpoint: more than four → keep tools and system ones
 * (shared by every request) and then the latest message ones (what the next request reads),
 * drop the rest; a 1h after a 5m (§1) → lowered to 5m. Returns the kept checkpoints.
 */
function repairExisting(
  layout: PromptLayout,
  repairs: CheckpointRepair[],
  warnings: string[],
): ExistingCheckpoint[] {
  const { existing } = layout;
  const describe = (c: ExistingCheckpoint) => describeLocation(c.at, layout);
  let kept = [...existing];
  if (kept.length > MAX_CHECKPOINTS) {
    const shared = kept.filter((c) => c.at.section !== 'messages');
    const messages = kept.filter((c) => c.at.section === 'messages').reverse();
    const keep = new Set([...shared, ...messages].slice(0, MAX_CHECKPOINTS));
    const dropped = kept.filter((c) => !keep.has(c));
    for (const checkpoint of dropped) repairs.push({ at: checkpoint.at, action: 'drop' });
    kept = kept.filter((c) => keep.has(c));
    warnings.push(
      `The prompt has ${existing.length} cache checkpoints of its own; Bedrock accepts at most ${MAX_CHECKPOINTS}. Dropped the ones on ${dropped.map(describe).join(', ')}; kept ${kept.map(describe).join(', ')}.`,
    );
  }
  let seenShort = false;
  const lowered: ExistingCheckpoint[] = [];
  kept = kept.map((checkpoint) => {
    const longest = checkpoint.ttls.includes('1h');
    if (seenShort && longest) {
      repairs.push({ at: checkpoint.at, action: 'lower-to-5m' });
      lowered.push(checkpoint);
      return { ...checkpoint, ttls: ['5m'] };
    }
    if (checkpoint.ttls.includes('5m')) seenShort = true;
    return checkpoint;
  });
  if (lowered.length > 0) {
    warnings.push(
      `The prompt's own cache checkpoints put a 1h TTL after a 5m one, which Bedrock rejects (tools → system → messages): lowered to 5m on ${lowered.map(describe).join(', ')}.`,
    );
  }
  return kept;
}

/** True when these checkpoints break Bedrock's TTL order (a 1h after a 5m, §1). */
function orderBroken(existing: readonly ExistingCheckpoint[]): boolean {
  let shortestSoFar: CacheTtl = '1h';
  for (const checkpoint of existing) {
    for (const ttl of checkpoint.ttls) if (TTL_RANK[ttl] > TTL_RANK[shortestSoFar]) return true;
    for (const ttl of checkpoint.ttls) shortestSoFar = shorter(shortestSoFar, ttl);
  }
  return false;
}

/**
 * Decides where this request's cache checkpoints go.
 *
 * Candidates, in priority order when fewer than four slots are free:
 * 1. the end of the last message: writes this request's prefix and, within Bedrock's
 *    lookback, reads the previous request's;
 * 2. the end of the previous request (the message before the last assistant turn), when
 *    this turn added more blocks than the lookback reaches (parallel tool calls), or on
 *    models without lookback (Nova): without it nothing the previous request wrote is read;
 * 3. the end of the system prompt: shared by every conversation with that prompt;
 * 4. the end of the tools: survives a system prompt that changes per request;
 * 5. the previous request's end when the lookback already covers it (insurance).
 * A place the caller already marked is kept, and costs nothing from the budget.
 */
export function planCheckpoints(layout: PromptLayout, profile: ModelProfile, options: PlanOptions): CheckpointPlan {
  const decisions: PlanDecision[] = [];
  const warnings: string[] = [];
  const repairs: CheckpointRepair[] = [];
  let existing = layout.existing;
  const result = (checkpoints: PlannedCheckpoint[] = [], ttlLowered = false): CheckpointPlan => ({
    checkpoints,
    decisions,
    warnings,
    existingCount: existing.length,
    repairs,
    kept: existing,
    ttlLowered,
  });

  if (layout.misplaced > 0) {
    warnings.push(
      profile.api === 'converse'
        ? `${layout.misplaced} cache checkpoint(s) are written as providerOptions.anthropic.cacheControl, which the Converse provider (bedrock(…)) ignores; write providerOptions.bedrock.cachePoint ({ type: 'default' }) instead.`
        : `${layout.misplaced} cache checkpoint(s) are written as providerOptions.bedrock.cachePoint, which the InvokeModel provider (@ai-sdk/amazon-bedrock/anthropic) ignores; write providerOptions.anthropic.cacheControl ({ type: 'ephemeral' }) instead.`,
    );
  }
  if (existing.length > MAX_CHECKPOINTS || orderBroken(existing)) {
    if (!options.repairCheckpoints) {
      warnings.push(
        existing.length > MAX_CHECKPOINTS
          ? `The prompt already has ${existing.length} cache checkpoints; Bedrock accepts at most ${MAX_CHECKPOINTS}. No checkpoint was added and the caller's were left as written (repairCheckpoints is off).`
          : "The prompt's own cache checkpoints put a 1h TTL after a 5m one, which Bedrock rejects (tools → system → messages). No checkpoint was added and the caller's were left as written (repairCheckpoints is off).",
      );
      return result();
    }
    existing = repairExisting(layout, repairs, warnings);
  }
  if (layout.messageCount < options.minMessagesToCache) {
    decisions.push({
      role: 'last-message',
      outcome: 'skipped',
      why: `${layout.messageCount} messages, fewer than minMessagesToCache (${options.minMessagesToCache})`,
    });
    return result();
  }

  const slots = layout.messageSlots;
  const lastIndex = slots.length - 1;
  const messagesOff = !options.cache.messages
    ? 'cache.messages is off'
    : !profile.cachesMessages
      ? 'Bedrock rejected message checkpoints on this model earlier'
      : undefined;
  const historyEnd = options.lastTurnDropped && layout.lastAssistantSlot !== undefined ? layout.lastAssistantSlot : undefined;
  const lastTarget = messagesOff ? undefined : nearestEligible(slots, historyEnd ?? lastIndex);
  // Where the previous request ended: what it wrote with its last-message checkpoint.
  const previousEnd =
    !messagesOff && layout.lastAssistantSlot !== undefined ? nearestEligible(slots, layout.lastAssistantSlot - 1) : undefined;
  const lookbackReachesPrevious =
    lastTarget !== undefined &&
    previousEnd !== undefined &&
    profile.lookbackBlocks > 0 &&
    lastTarget.blocks - previousEnd.blocks <= profile.lookbackBlocks - LOOKBACK_MARGIN;
  // With a lookback (§1 "simplified cache management"), a checkpoint after the previous answer reads that entry just as well and
  // also leaves one that includes the answer, which survives an edited or regenerated last
  // question (Nova has no lookback: it must sit exactly where the previous request's did).
  const answer = layout.lastAssistantSlot === undefined ? undefined : slots[layout.lastAssistantSlot];
  const previousTarget =
    previousEnd && answer && answer.ineligible === undefined && profile.lookbackBlocks > 0 && answer.blocks - previousEnd.blocks <= profile.lookbackBlocks - LOOKBACK_MARGIN
      ? answer
      : previousEnd;

  const candidates: Array<{ role: CheckpointRole; slot: Slot | undefined; off?: string }> = [
    { role: 'last-message', slot: lastTarget, off: messagesOff },
    ...(lookbackReachesPrevious ? [] : [{ role: 'previous-request' as const, slot: previousTarget }]),
    { role: 'system', slot: layout.systemSlot, off: options.cache.system ? undefined : 'cache.system is off' },
    { role: 'tools', slot: layout.toolSlot, off: options.cache.tools ? undefined : 'cache.tools is off' },
    ...(lookbackReachesPrevious ? [{ role: 'previous-request' as const, slot: previousTarget }] : []),
  ];

  let budget = MAX_CHECKPOINTS - existing.length;
  const chosen: Chosen[] = [];
  const from = options.unreadableFrom;
  const unreadable = (slot: Slot) =>
    from === undefined
      ? false
      : from === 'tools'
        ? true
        : from === 'system'
          ? slot.section !== 'tools'
          : slot.section === 'messages' && slot.index >= from.message;
  for (const { role, slot, off } of candidates) {
    if (slot && unreadable(slot) && !slot.occupied) {
      decisions.push({ role, index: slot.index, outcome: 'skipped', why: options.unreadableWhy ?? 'a write here would not be read' });
      continue;
    }
    if (off) {
      decisions.push({ role, outcome: 'skipped', why: off });
      continue;
    }
    if (!slot) {
      decisions.push({ role, outcome: 'skipped', why: 'no place for it in this prompt' });
      continue;
    }
    const { index } = slot;
    if (slot.ineligible) {
      decisions.push({ role, index, outcome: 'skipped', why: slot.ineligible });
    } else if (slot.occupied) {
      decisions.push({ role, index, outcome: 'kept', why: 'the caller already placed a checkpoint here' });
    } else if (chosen.some((c) => c.slot === slot)) {
      decisions.push({ role, index, outcome: 'skipped', why: `same place as the ${chosen.find((c) => c.slot === slot)!.role} checkpoint` });
    } else if (slot.tokens < profile.minTokens) {
      decisions.push({
        role,
        index,
        outcome: 'skipped',
        why: `prefix of at most ~${slot.tokens} tokens is below the model's minimum of ${profile.minTokens}`,
      });
    } else if (budget === 0) {
      decisions.push({ role, index, outcome: 'skipped', why: `all ${MAX_CHECKPOINTS} checkpoints are in use` });
    } else {
      budget--;
      const decision: PlanDecision = {
        role,
        index,
        outcome: 'placed',
        why: role === 'last-message' && historyEnd !== undefined ? 'the history before the last turn: this conversation drops each last message from its history, so writing it would be wasted; ' : '',
      };
      decisions.push(decision);
      chosen.push({ role, slot, decision });
    }
  }

  const { planned, ttlLowered } = assignTtls(chosen, existing, profile, options);
  return result(planned, ttlLowered);
}

/**
 * TTLs for the chosen places: the configured TTL, within what the model offers, then
 * clamped between the caller's own checkpoints so that TTLs never increase along the
 * prefix (a 1h checkpoint of the caller's after ours raises ours to 1h: the later write
 * covers our prefix at 1h anyway, so raising it costs nothing).
 */
function assignTtls(
  chosen: Chosen[],
  existing: readonly ExistingCheckpoint[],
  profile: ModelProfile,
  options: PlanOptions,
): { planned: PlannedCheckpoint[]; ttlLowered: boolean } {
  const planned: PlannedCheckpoint[] = [];
  let ttlLowered = false;
  for (const { role, slot, decision } of [...chosen].sort((a, b) => a.slot.ordinal - b.slot.ordinal)) {
    let ttl = options.ttl[slot.section];
    if (!profile.ttls.includes(ttl)) {
      ttl = '5m';
      ttlLowered = true;
    }
    for (const checkpoint of existing) {
      for (const fixed of checkpoint.ttls) {
        if (checkpoint.ordinal < slot.ordinal) ttl = shorter(ttl, fixed);
        else ttl = longer(ttl, fixed);
      }
    }
    if (!profile.ttls.includes(ttl)) {
      decision.outcome = 'skipped';
      decision.why = `a later checkpoint of the caller's needs ${ttl}, which the model lacks`;
      continue;
    }
    decision.why += slot.partIndex === undefined ? `ttl ${ttl}` : `ttl ${ttl}, after part ${slot.partIndex} (a checkpoint can't follow the message's last block)`;
    planned.push({
      role,
      section: slot.section,
      index: slot.index,
      ttl,
      ...(slot.partIndex !== undefined && { partIndex: slot.partIndex }),
      ...(slot.afterDocument && { afterDocument: true }),
    });
  }
  return { planned, ttlLowered };
}
