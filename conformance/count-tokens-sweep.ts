import { expandPlaceholders } from './expand-placeholders.js';
import { fixtureNonce, fixtureSteps, type TargetSession } from './run-fixture.js';
import type { Fixture, RequestStep } from './schema.js';
import { parseResponse, type WireRequest } from './wire.js';

/** One prompt counted by two Bedrocks (e.g. the real one and the emulator). */
export interface CountRow {
  id: string;
  modelId: string;
  /** Bedrock's (the reference target's) count, or undefined when it refused. */
  reference?: number;
  /** The other target's count. */
  candidate?: number;
  /** Why a count is missing. */
  note?: string;
}

/** Cross-region prefixes (shared doc §3): CountTokens takes the foundation-model id. */
const REGION_PREFIX = /^(?:us-gov|us|eu|apac|jp|au|ca|global)\./;
/** A system inference-profile or foundation-model ARN holds the id after its `/`. */
const MODEL_ARN = /^arn:aws[a-z-]*:bedrock:[^:]*:[^:]*:(?:inference-profile|foundation-model)\/(.+)$/;
const foundationModelId = (modelId: string) => (MODEL_ARN.exec(modelId)?.[1] ?? modelId).replace(REGION_PREFIX, '');

/** The ConverseTokensRequest members of a Converse body (CountTokensInput in the AWS SDK). */
const COUNTABLE = ['messages', 'system', 'toolConfig', 'additionalModelRequestFields'] as const;

/** The CountTokens requests for every Claude Converse request of the fixtures that Bedrock accepts. */
export function countTokensRequests(fixtures: readonly Fixture[], runId: string): Array<{ id: string; request: WireRequest }> {
  const out: Array<{ id: string; request: WireRequest }> = [];
  for (const fixture of fixtures) {
    const requests = fixtureSteps(fixture).flatMap((step): RequestStep[] => ('parallel' in step ? step.parallel : 'body' in step ? [step] : []));
    requests.forEach((step, index) => {
      const api = step.api ?? fixture.api;
      const modelId = step.modelId ?? fixture.modelId;
      if ((api !== 'converse' && api !== 'converse-stream') || !modelId.includes('anthropic.claude') || step.expect.status !== 200) return;
      const body = expandPlaceholders(step.body, fixtureNonce(runId, fixture.id)) as Record<string, unknown>;
      const converse = Object.fromEntries(COUNTABLE.filter((key) => body[key] !== undefined).map((key) => [key, body[key]]));
      out.push({ id: `${fixture.id} #${index}`, request: { api: 'count-tokens', modelId: foundationModelId(modelId), body: { input: { converse } } } });
    });
  }
  return out;
}

/**
 * Counts every accepted Claude prompt of the fixtures with CountTokens on two targets — no
 * inference, so a cheap way to compare the emulator's token counts with Bedrock's on many
 * prompts (shared doc §1 Hidden tokens).
 */
export async function countTokensSweep(
  fixtures: readonly Fixture[],
  reference: TargetSession,
  candidate: TargetSession,
  runId: string,
): Promise<CountRow[]> {
  const rows: CountRow[] = [];
  for (const { id, request } of countTokensRequests(fixtures, runId)) {
    const [bedrock, other] = await Promise.all([reference.send(request), candidate.send(request)]).then((answers) =>
      answers.map((answer) => parseResponse('count-tokens', answer)),
    );
    const row: CountRow = { id, modelId: request.modelId };
    if (bedrock?.status === 200) row.reference = bedrock.usage?.inputTokens;
    else row.note = `reference: ${bedrock?.status} ${bedrock?.message ?? ''}`.trim();
    if (other?.status === 200) row.candidate = other.usage?.inputTokens;
    else row.note = `${row.note ? `${row.note}; ` : ''}candidate: ${other?.status} ${other?.message ?? ''}`.trim();
    rows.push(row);
  }
  return rows;
}

/** The sweep as a table with each row's signed error and a summary. */
export function formatCountRows(rows: readonly CountRow[], referenceName: string, candidateName: string): string {
  const width = Math.max(10, ...rows.map((row) => row.id.length));
  const lines = [`${'prompt'.padEnd(width)} ${referenceName.padStart(8)} ${candidateName.padStart(9)}  error`];
  const errors: number[] = [];
  for (const row of rows) {
    let error = row.note ?? '';
    if (row.reference !== undefined && row.candidate !== undefined && row.reference > 0) {
      const percent = ((row.candidate - row.reference) / row.reference) * 100;
      errors.push(Math.abs(percent));
      error = `${percent > 0 ? '+' : ''}${percent.toFixed(1)}%`;
    }
    lines.push(`${row.id.padEnd(width)} ${String(row.reference ?? '-').padStart(8)} ${String(row.candidate ?? '-').padStart(9)}  ${error}`);
  }
  if (errors.length > 0) {
    lines.push(`${errors.length} prompts: mean |error| ${(errors.reduce((a, b) => a + b, 0) / errors.length).toFixed(1)}%, worst ${Math.max(...errors).toFixed(1)}%`);
  }
  return lines.join('\n');
}
