import { isRecord } from './json-utils.js';
import { defaultReply, lastUserInput } from './replies.js';
import type { EmulatorOperation, ReplyContext, ReplyOption, ScriptedReply, ScriptedToolUse } from './types.js';

/** What a reply rule's `when` can test; every field given must hold. */
export interface ReplyMatch {
  /** The request's operation (`Converse`, `ConverseStream`, `InvokeModel`, `InvokeModelWithResponseStream`). */
  operation?: EmulatorOperation;
  /** A substring of the model id in the URL (`claude-sonnet-4-5` matches every Sonnet 4.5 profile). */
  modelId?: string;
  /** A substring of the last user message's text. */
  lastUserText?: string;
  /** Whether the last user message carries tool results (the turn after a tool call). */
  hasToolResult?: boolean;
  /** The 0-based call index (every answered request counts), or a list of them. */
  index?: number | number[];
}

/** A scripted reply, optionally with the requests it answers. */
export interface ReplyRule extends ScriptedReply {
  /** Requests this rule answers; without it the rule answers any request. */
  when?: ReplyMatch;
}

const OPERATIONS: readonly EmulatorOperation[] = ['Converse', 'ConverseStream', 'InvokeModel', 'InvokeModelWithResponseStream'];
const REPLY_KEYS = new Set(['text', 'toolUses', 'reasoning', 'when']);
const MATCH_KEYS = new Set(['operation', 'modelId', 'lastUserText', 'hasToolResult', 'index']);
const TOOL_USE_KEYS = new Set(['name', 'input', 'id']);

/** Whether `rule.when` holds for a request. */
function matches(when: ReplyMatch | undefined, context: ReplyContext): boolean {
  if (when === undefined) return true;
  if (when.operation !== undefined && when.operation !== context.operation) return false;
  if (when.modelId !== undefined && !context.modelId.includes(when.modelId)) return false;
  if (when.lastUserText !== undefined && !context.lastUserText.includes(when.lastUserText)) return false;
  if (when.hasToolResult !== undefined && when.hasToolResult !== lastUserInput(context.body).toolResults > 0) return false;
  if (when.index !== undefined && !(Array.isArray(when.index) ? when.index : [when.index]).includes(context.index)) return false;
  return true;
}

/**
 * The `reply` option for a list of replies or rules: a list with no `when` is consumed in order
 * (then the default echo), as the library's `reply` list; otherwise each request gets the first
 * rule that matches it (a rule without `when` matches any), or the default echo.
 */
export function replyFromRules(rules: readonly ReplyRule[]): ReplyOption {
  const strip = ({ when: _when, ...reply }: ReplyRule): ScriptedReply => reply;
  if (rules.every((rule) => rule.when === undefined)) return rules.map(strip);
  return (context) => {
    const rule = rules.find((candidate) => matches(candidate.when, context));
    return rule ? strip(rule) : defaultReply(context.body);
  };
}

/**
 * Checks a parsed reply file: a JSON array of replies or rules. Throws an Error whose message
 * names the element and field at fault (`[2].toolUses[0].input must be an object`).
 */
export function parseReplyRules(value: unknown): ReplyRule[] {
  if (!Array.isArray(value)) throw new Error('must be a JSON array of replies ({ "text": … }) or rules ({ "when": {…}, "text": … })');
  return value.map((item, i) => {
    const at = `[${i}]`;
    if (!isRecord(item)) throw new Error(`${at} must be an object with text, toolUses or reasoning`);
    for (const key of Object.keys(item)) {
      if (!REPLY_KEYS.has(key)) throw new Error(`${at} has an unknown field '${key}' (fields: ${[...REPLY_KEYS].join(', ')})`);
    }
    for (const key of ['text', 'reasoning'] as const) {
      if (item[key] !== undefined && typeof item[key] !== 'string') throw new Error(`${at}.${key} must be a string`);
    }
    if (item.text === undefined && item.toolUses === undefined && item.reasoning === undefined) {
      throw new Error(`${at} needs text, toolUses or reasoning`);
    }
    const rule: ReplyRule = {
      ...(item.text !== undefined && { text: item.text as string }),
      ...(item.reasoning !== undefined && { reasoning: item.reasoning as string }),
    };
    if (item.toolUses !== undefined) rule.toolUses = parseToolUses(item.toolUses, `${at}.toolUses`);
    if (item.when !== undefined) rule.when = parseMatch(item.when, `${at}.when`);
    return rule;
  });
}

function parseToolUses(value: unknown, at: string): ScriptedToolUse[] {
  if (!Array.isArray(value) || value.length === 0) throw new Error(`${at} must be a non-empty array of { "name", "input" }`);
  return value.map((toolUse, k) => {
    const path = `${at}[${k}]`;
    if (!isRecord(toolUse)) throw new Error(`${path} must be an object { "name", "input", "id"? }`);
    for (const key of Object.keys(toolUse)) {
      if (!TOOL_USE_KEYS.has(key)) throw new Error(`${path} has an unknown field '${key}' (fields: name, input, id)`);
    }
    if (typeof toolUse.name !== 'string' || toolUse.name === '') throw new Error(`${path}.name must be a non-empty string`);
    if (!isRecord(toolUse.input)) throw new Error(`${path}.input must be an object`);
    if (toolUse.id !== undefined && typeof toolUse.id !== 'string') throw new Error(`${path}.id must be a string`);
    return { name: toolUse.name, input: toolUse.input, ...(toolUse.id !== undefined && { id: toolUse.id }) };
  });
}

function parseMatch(value: unknown, at: string): ReplyMatch {
  if (!isRecord(value)) throw new Error(`${at} must be an object`);
  for (const key of Object.keys(value)) {
    if (!MATCH_KEYS.has(key)) throw new Error(`${at} has an unknown field '${key}' (fields: ${[...MATCH_KEYS].join(', ')})`);
  }
  const match: ReplyMatch = {};
  if (value.operation !== undefined) {
    if (!OPERATIONS.includes(value.operation as EmulatorOperation)) throw new Error(`${at}.operation must be one of: ${OPERATIONS.join(', ')}`);
    match.operation = value.operation as EmulatorOperation;
  }
  for (const key of ['modelId', 'lastUserText'] as const) {
    if (value[key] === undefined) continue;
    if (typeof value[key] !== 'string') throw new Error(`${at}.${key} must be a string`);
    match[key] = value[key];
  }
  if (value.hasToolResult !== undefined) {
    if (typeof value.hasToolResult !== 'boolean') throw new Error(`${at}.hasToolResult must be true or false`);
    match.hasToolResult = value.hasToolResult;
  }
  if (value.index !== undefined) {
    const indexes = Array.isArray(value.index) ? value.index : [value.index];
    if (indexes.length === 0 || !indexes.every((n) => Number.isInteger(n) && (n as number) >= 0)) {
      throw new Error(`${at}.index must be a call index (0, 1, …) or a list of them`);
    }
    match.index = value.index as number | number[];
  }
  return match;
}
