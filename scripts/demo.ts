/**
 * `npm run demo [-- --json] [-- --live]`
 *
 * A realistic agent session through `bedrockCacheMiddleware()`: Claude Sonnet 4.5, a ~3K-token
 * system prompt, 12 tools, 5 user turns with an agent loop and parallel tool calls, streamed
 * with `streamText`. Prints each request's uncached / cache-read / cache-write input tokens
 * and its input cost against no caching, at the library's prices (src/pricing: `us.` Sonnet 4.5
 * $3.30/M input, the regional +10%; read 0.1×, 5m write 1.25×, 1h write 2×).
 *
 * Default: the embedded Bedrock emulator (no AWS account, scripted replies, the emulator's
 * tokenizer). `--live`: real Bedrock with the default AWS credential chain and region
 * (AWS_REGION / AWS_DEFAULT_REGION, env keys, profiles, SSO…; AWS_BEARER_TOKEN_BEDROCK also
 * works). `--json`: stdout ends with one JSON line `{"requests":[…],"totals":{…}}`.
 */
import { createAmazonBedrock } from '@ai-sdk/amazon-bedrock';
import { stepCountIs, streamText, wrapLanguageModel, type ModelMessage, type StepResult } from 'ai';
import { bedrockCacheMiddleware, getBedrockCacheUsage } from '../src/index.js';
import { startBedrockEmulator, type RunningBedrockEmulator } from '../src/emulator/index.js';
import { describePrices, demoPrices, formatTable, inputCost, totals, type RequestRow } from './demo-report.js';
import { SCRIPTED_REPLIES, SYSTEM_PROMPT, TOOLS, USER_TURNS } from './demo-session.js';

const MODEL_ID = 'us.anthropic.claude-sonnet-4-5-20250929-v1:0';
const PRICES = demoPrices(MODEL_ID);
const EMULATOR_CREDENTIALS = { accessKeyId: 'AKIADEMOEMULATOR0001', secretAccessKey: 'demo-emulator-secret' };

const args = new Set(process.argv.slice(2));
const json = args.has('--json');
const live = args.has('--live');

/** The default credential chain of the AWS SDK, if its package is installed (it is a dev dependency here). */
async function defaultCredentialProvider() {
  try {
    const { defaultProvider } = await import('@aws-sdk/credential-provider-node');
    const provider = defaultProvider();
    return async () => {
      const { accessKeyId, secretAccessKey, sessionToken } = await provider();
      return { accessKeyId, secretAccessKey, ...(sessionToken ? { sessionToken } : {}) };
    };
  } catch {
    return undefined; // the provider then reads AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY / AWS_SESSION_TOKEN
  }
}

/** The AWS SDK's default region chain (AWS_REGION, AWS_DEFAULT_REGION, the profile's config), else us-east-1. */
async function defaultRegion(): Promise<string> {
  const fromEnv = process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION;
  if (fromEnv) return fromEnv;
  try {
    const { BedrockRuntimeClient } = await import('@aws-sdk/client-bedrock-runtime');
    const client = new BedrockRuntimeClient({});
    try {
      return await client.config.region();
    } finally {
      client.destroy();
    }
  } catch {
    console.error('No AWS region configured (AWS_REGION or a profile); using us-east-1.');
    return 'us-east-1';
  }
}

async function createProvider(emulator: RunningBedrockEmulator | undefined) {
  if (emulator) return createAmazonBedrock({ baseURL: emulator.url, region: 'us-east-1', ...EMULATOR_CREDENTIALS });
  const region = await defaultRegion();
  const hasApiKey = (process.env.AWS_BEARER_TOKEN_BEDROCK ?? '').trim() !== '';
  const credentialProvider = hasApiKey ? undefined : await defaultCredentialProvider();
  return createAmazonBedrock({ region, ...(credentialProvider ? { credentialProvider } : {}) });
}

/** Uncached / read / write tokens of one step, and its 1h writes (from Bedrock's cacheDetails). */
function stepRow(step: StepResult<typeof TOOLS>, request: number, turn: number, index: number): RequestRow {
  const usage = getBedrockCacheUsage(step);
  const details = (step.providerMetadata?.bedrock?.usage as { cacheDetails?: Array<{ ttl: string; inputTokens: number }> } | undefined)
    ?.cacheDetails;
  const cacheWrite1hInputTokens = details?.find((d) => d.ttl === '1h')?.inputTokens ?? 0;
  const tokens = {
    inputTokens: usage.uncachedInputTokens,
    cacheReadInputTokens: usage.cacheReadInputTokens,
    cacheWriteInputTokens: usage.cacheWriteInputTokens,
    cacheWrite1hInputTokens,
  };
  return {
    request,
    turn,
    step: index + 1,
    ...tokens,
    totalInputTokens: usage.totalInputTokens,
    outputTokens: step.usage.outputTokens ?? 0,
    ...inputCost(tokens, PRICES),
  };
}

const say = (text: string) => process.stdout.write(text);

async function main() {
  const emulator = live ? undefined : await startBedrockEmulator({ credentials: EMULATOR_CREDENTIALS, reply: SCRIPTED_REPLIES });
  try {
    const bedrock = await createProvider(emulator);
    const model = wrapLanguageModel({ model: bedrock(MODEL_ID), middleware: bedrockCacheMiddleware() });
    say(
      `Bedrock prompt-caching demo · ${MODEL_ID} · ${live ? 'LIVE Amazon Bedrock' : `embedded emulator at ${emulator?.url}`}\n` +
        `${Object.keys(TOOLS).length} tools · ${USER_TURNS.length} user turns · streamText with an agent loop\n\n`,
    );

    const messages: ModelMessage[] = [];
    const rows: RequestRow[] = [];
    let reportedCostUsd = 0; // what the middleware itself reported, to check the demo prices the same
    for (const [turnIndex, question] of USER_TURNS.entries()) {
      const turn = turnIndex + 1;
      say(`Turn ${turn} › ${question}\n`);
      messages.push({ role: 'user', content: question });
      const result = streamText({ model, system: SYSTEM_PROMPT, messages, tools: TOOLS, stopWhen: stepCountIs(6) });
      say('  Ava ›');
      for await (const part of result.fullStream) {
        if (part.type === 'text-start') say(' ');
        else if (part.type === 'text-delta') say(part.text);
        else if (part.type === 'tool-call') say(` [${part.toolName}]`);
        else if (part.type === 'error') throw part.error;
      }
      say('\n\n');
      const steps = await result.steps;
      for (const [index, step] of steps.entries()) rows.push(stepRow(step, rows.length + 1, turn, index));
      reportedCostUsd += getBedrockCacheUsage(steps).costUsd ?? Number.NaN;
      messages.push(...(await result.response).messages);
    }

    say(`${formatTable(rows)}\n`);
    const sums = totals(rows);
    say(
      `\nInput cost with caching ${`$${sums.costUsd.toFixed(4)}`} vs ${`$${sums.noCacheCostUsd.toFixed(4)}`} without: ` +
        `${sums.savedPercent}% saved (${describePrices(PRICES)}: src/pricing; output not included).\n` +
        `Bar: █ read from cache  ▒ written to cache  ░ uncached.\n`,
    );
    // One price table: the demo's dollars are the ones the middleware reports (rows are rounded to 1e-6 USD).
    if (!(Math.abs(reportedCostUsd - sums.costUsd) < 1e-5 * rows.length)) {
      say(`WARNING: the demo's input cost $${sums.costUsd} differs from the middleware's report $${reportedCostUsd}.\n`);
      process.exitCode = 1;
    }
    if (emulator) {
      // The emulator's own log must agree with what the middleware reported.
      const logged = emulator.requests.filter((r) => r.status === 200).map((r) => r.usage);
      const agrees =
        logged.length === rows.length &&
        rows.every(
          (row, i) =>
            logged[i]?.inputTokens === row.inputTokens &&
            logged[i]?.cacheReadInputTokens === row.cacheReadInputTokens &&
            logged[i]?.cacheWriteInputTokens === row.cacheWriteInputTokens,
        );
      say(
        agrees
          ? `Checked: getBedrockCacheUsage matches the emulator's log for all ${rows.length} requests (token counts are the emulator's tokenizer).\n`
          : `WARNING: the reported usage differs from the emulator's log (${logged.length} logged requests, ${rows.length} steps).\n`,
      );
      if (!agrees) process.exitCode = 1;
    }
    if (json) {
      say(`${JSON.stringify({ mode: live ? 'live' : 'emulator', modelId: MODEL_ID, requests: rows, totals: sums })}\n`);
    }
  } finally {
    await emulator?.close();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : error);
  process.exitCode = 1;
});
