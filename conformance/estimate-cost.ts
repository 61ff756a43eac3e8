import { modelPrices } from '../src/pricing/index.js';
import { fixtureSteps } from './run-fixture.js';
import { expandPlaceholders } from './expand-placeholders.js';
import { isRejection, type Fixture, type RequestStep } from './schema.js';

/**
 * Base on-demand prices, USD per million tokens (input, output), and each model's maximum output,
 * for the upper bound a live run prints before it sends anything. A model the library's price
 * table knows (src/pricing) is priced from it, at its endpoint's price (regional +10% on Claude
 * 4.5+ and Nova 2), so the bound agrees with what the middleware reports; this table fills in
 * the maximum output and the models src/pricing lacks. Sources: AWS's Bedrock pricing page
 * (https://aws.amazon.com/bedrock/pricing/) and Anthropic's pricing page, as quoted in the shared
 * doc §4 (2026-12); rows the doc lacks use the model family's published list price. Where no
 * price was found (Fable, Opus 5.5 output, Sonnet 5 output) the row takes a higher family price,
 * so the bound stays an upper bound. First match wins.
 */
export const PRICE_TABLE: ReadonlyArray<{ match: RegExp; input: number; output: number; maxOutput: number }> = [
  { match: /claude-opus-4-(?:20250514|1)/, input: 15, output: 75, maxOutput: 32_000 },
  { match: /claude-opus-(?:4-[5-9]|5)/, input: 5, output: 25, maxOutput: 128_000 },
  { match: /claude-sonnet-5/, input: 3, output: 15, maxOutput: 128_000 },
  { match: /claude-(?:sonnet-4|3-7-sonnet)/, input: 3, output: 15, maxOutput: 64_000 },
  { match: /claude-haiku-4-5/, input: 1, output: 5, maxOutput: 64_000 },
  { match: /claude-3-5-haiku/, input: 0.8, output: 4, maxOutput: 8_192 },
  { match: /claude-3-haiku/, input: 0.25, output: 1.25, maxOutput: 4_096 },
  { match: /nova-micro/, input: 0.035, output: 0.14, maxOutput: 10_000 },
  { match: /nova-lite/, input: 0.06, output: 0.24, maxOutput: 10_000 },
  { match: /nova-2-lite/, input: 0.33, output: 2.75, maxOutput: 64_000 },
  { match: /nova-pro/, input: 0.8, output: 3.2, maxOutput: 10_000 },
  { match: /nova-premier/, input: 2.5, output: 12.5, maxOutput: 32_000 },
  { match: /llama3-3-70b/, input: 0.72, output: 0.72, maxOutput: 8_192 },
];
/** Anything else (Fable, unknown ids): the most expensive row. */
const FALLBACK = { input: 15, output: 75, maxOutput: 128_000 };

/** Hidden tokens per request, at most (Claude 4.5+ with a forced tool: 1 + 204 + 412 + 3; see tokenizer.ts). */
const HIDDEN_TOKENS = 700;
/** A media block's tokens, at most (an image is ≤ ~1,600 on Claude; a one-page PDF a few thousand). */
const MEDIA_TOKENS = 3_000;

/** One request of the estimate. */
export interface CostLine {
  fixture: string;
  modelId: string;
  /** Upper bound of the input tokens. */
  inputTokens: number;
  /** Upper bound of the output tokens. */
  outputTokens: number;
  /** Upper bound, USD. */
  usd: number;
  /** The input part of the upper bound, USD. */
  inputUsd: number;
  /** A likelier figure, USD (see `estimateCost`). */
  likelyUsd: number;
}

function mediaBlocks(value: unknown): number {
  if (Array.isArray(value)) return value.reduce<number>((sum, item) => sum + mediaBlocks(item), 0);
  if (value === null || typeof value !== 'object') return 0;
  const record = value as Record<string, unknown>;
  const own = ['image', 'document', 'video', 'audio'].some((key) => key in record) || record.type === 'image' || record.type === 'document' ? 1 : 0;
  return own + Object.values(record).reduce<number>((sum, item) => sum + mediaBlocks(item), 0);
}

/** The body's UTF-8 size with base64 payloads dropped (their tokens are bounded per block instead). */
function textBytes(value: unknown): number {
  const json = JSON.stringify(value, (key, item) => (key === 'bytes' || (key === 'data' && typeof item === 'string' && item.length > 200) ? '' : item));
  return Buffer.byteLength(json ?? '');
}

function maxOutput(body: unknown): number | undefined {
  if (body === null || typeof body !== 'object') return undefined;
  const record = body as { inferenceConfig?: { maxTokens?: unknown }; max_tokens?: unknown };
  const value = record.inferenceConfig?.maxTokens ?? record.max_tokens;
  return typeof value === 'number' ? value : undefined;
}

/** The output tokens Bedrock recorded for the fixture's n-th request, if it is a recording. */
function recordedOutput(fixture: Fixture, index: number): number | undefined {
  const responses = [...(fixture.recorded?.responses ?? []), ...(fixture.recorded?.also?.responses ?? [])];
  const usage = responses[index]?.usage as { outputTokens?: unknown } | undefined;
  return typeof usage?.outputTokens === 'number' ? usage.outputTokens : undefined;
}

/**
 * What sending `fixtures` to real Bedrock costs, request by request.
 *
 * Upper bound: input tokens ≤ the body's UTF-8 bytes (a token covers at least one byte of text)
 * + 3,000 per media block + 700 hidden, priced at the dearest input rate (Claude's 1h write, 2×
 * base; Nova's writes cost 1×), plus output up to the body's maxTokens or, without one, the
 * model's maximum output. A request to an id that names no model (a fixture expecting "The
 * provided model identifier is invalid.") or a prompt beyond the model's context window costs
 * nothing: no model runs. CountTokens is priced
 * like inference input (AWS may not bill it at all).
 *
 * Likely: rejected requests are not billed; accepted ones at bytes / 3 input tokens priced as a
 * 5m write (1.25× on Claude), output at maxTokens, else the recorded output, else 500.
 */
export function estimateCost(fixtures: readonly Fixture[]): { requests: number; usd: number; inputUsd: number; likelyUsd: number; lines: CostLine[] } {
  const lines: CostLine[] = [];
  for (const fixture of fixtures) {
    const requests = fixtureSteps(fixture).flatMap((step): RequestStep[] => ('parallel' in step ? step.parallel : 'body' in step ? [step] : []));
    requests.forEach((request, index) => {
      const modelId = request.modelId ?? fixture.modelId;
      const api = request.api ?? fixture.api;
      const body = expandPlaceholders(request.body, 'run-0123456789');
      const row = PRICE_TABLE.find((candidate) => candidate.match.test(modelId)) ?? FALLBACK;
      const library = modelPrices(modelId);
      const price = library ? { input: library.input, output: library.output, maxOutput: row.maxOutput } : row;
      // Neither an id that names no model nor a prompt beyond the context window runs a model:
      // "validation runs before inference, so this costs nothing" (NousResearch/hermes-agent #31277).
      const rejectedText = isRejection(request.expect) ? (request.expect.message ?? request.expect.messagePattern ?? '') : '';
      const noModel = rejectedText === 'The provided model identifier is invalid.' || /prompt is too long|Input is too long/.test(rejectedText);
      const bytes = textBytes(body);
      const media = MEDIA_TOKENS * mediaBlocks(body);
      const inputTokens = noModel ? 0 : bytes + media + HIDDEN_TOKENS;
      const outputTokens = noModel || api === 'count-tokens' ? 0 : (maxOutput(body) ?? price.maxOutput);
      const claude = modelId.includes('anthropic.') || row === FALLBACK;
      const usd = (inputTokens * price.input * (claude ? 2 : 1) + outputTokens * price.output) / 1_000_000;
      const likelyOutput = api === 'count-tokens' ? 0 : (maxOutput(body) ?? recordedOutput(fixture, index) ?? 500);
      const likelyUsd = isRejection(request.expect)
        ? 0
        : ((bytes / 3 + media / 3 + HIDDEN_TOKENS / 2) * price.input * (claude ? 1.25 : 1) + likelyOutput * price.output) / 1_000_000;
      const inputUsd = (inputTokens * price.input * (claude ? 2 : 1)) / 1_000_000;
      lines.push({ fixture: fixture.id, modelId, inputTokens, outputTokens, usd, inputUsd, likelyUsd });
    });
  }
  const sum = (pick: (line: CostLine) => number) => lines.reduce((total, line) => total + pick(line), 0);
  return { requests: lines.length, usd: sum((line) => line.usd), inputUsd: sum((line) => line.inputUsd), likelyUsd: sum((line) => line.likelyUsd), lines };
}
