/**
 * The model ids the installed @ai-sdk/amazon-bedrock ships (the `BedrockChatModelId` union in
 * provider 4's src/bedrock-chat-options.ts, `AmazonBedrockChatModelId` in provider 5's
 * src/amazon-bedrock-chat-language-model-options.ts), read at test time so that a provider
 * update that adds a model is tested without a code change. The ai 7 leg resolves provider 5.
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

/** Every quoted id of the provider's `BedrockChatModelId` type, deduplicated, in file order. */
export function providerModelIds(): string[] {
  const packageJson = createRequire(import.meta.url).resolve('@ai-sdk/amazon-bedrock/package.json');
  const src = path.join(path.dirname(packageJson), 'src');
  const file = ['bedrock-chat-options.ts', 'amazon-bedrock-chat-language-model-options.ts'].find((name) => existsSync(path.join(src, name)));
  if (file === undefined) throw new Error(`no chat model options file in ${src}`);
  const source = readFileSync(path.join(src, file), 'utf8');
  const union = /export type (?:Bedrock|AmazonBedrock)ChatModelId\s*=([\s\S]*?);/.exec(source)?.[1];
  if (union === undefined) throw new Error('BedrockChatModelId not found in the provider source');
  const ids = [...union.matchAll(/'([^']+)'/g)].map((match) => match[1] ?? '');
  if (ids.length < 20) throw new Error(`only ${ids.length} model ids read from the provider source`);
  return [...new Set(ids)];
}
