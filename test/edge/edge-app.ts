/**
 * User code for an edge runtime (Vercel Edge Functions, Next.js `runtime = 'edge'`): the
 * middleware with the real `ai` and `@ai-sdk/amazon-bedrock`. edge-runtime.test.ts bundles
 * it for the edge (no Node built-ins resolvable) and runs it inside `@edge-runtime/vm`.
 */
import { createAmazonBedrock } from '@ai-sdk/amazon-bedrock';
import { generateText, streamText, wrapLanguageModel } from 'ai';
import { bedrockCacheMiddleware, getBedrockCacheUsage, type BedrockCacheUsage } from 'ai-sdk-bedrock-cache';

export interface EdgeRunInput {
  baseURL: string;
  accessKeyId: string;
  secretAccessKey: string;
}

export interface EdgeRunOutput {
  /** The sandbox's globals: proof it is an edge runtime, not Node. */
  runtime: { edgeRuntime: string; process: string; require: string; buffer: string };
  generate: BedrockCacheUsage[];
  stream: BedrockCacheUsage[];
}

const system = `You answer questions about an online shop.\n\n${'Orders ship within two days; returns are free within 30 days. '.repeat(120)}`;

export async function run(input: EdgeRunInput): Promise<EdgeRunOutput> {
  const bedrock = createAmazonBedrock({ region: 'us-east-1', ...input });
  const model = wrapLanguageModel({
    model: bedrock('us.anthropic.claude-sonnet-4-5-20250929-v1:0'),
    middleware: bedrockCacheMiddleware(),
  });
  const generate: BedrockCacheUsage[] = [];
  for (const prompt of ['Do you ship to Norway?', 'How long do returns take?']) {
    generate.push(getBedrockCacheUsage(await generateText({ model, system, prompt })));
  }
  const stream: BedrockCacheUsage[] = [];
  for (const prompt of ['Can I change my address?', 'Is gift wrapping free?']) {
    const result = streamText({ model, system: `${system}\nStreaming.`, prompt });
    await result.consumeStream();
    stream.push(getBedrockCacheUsage(await result.steps));
  }
  const global = globalThis as Record<string, unknown>;
  return {
    runtime: {
      edgeRuntime: String(global.EdgeRuntime),
      process: typeof global.process,
      require: typeof global.require,
      buffer: typeof global.Buffer,
    },
    generate,
    stream,
  };
}
