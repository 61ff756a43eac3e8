/**
 * The model ids the installed @ai-sdk/amazon-bedrock ships (its `BedrockChatModelId` union in
 * src/bedrock-chat-options.ts), read at test time so that a provider update that adds a model
 * is tested without a code change. On the ai 7 leg this resolves provider 5's copy.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

/** Every quoted id of the provider's `BedrockChatModelId` type, deduplicated, in file order. */
export function providerModelIds(): string[] {
  const packageJson = createRequire(import.meta.url).resolve('@ai-sdk/amazon-bedrock/package.json');
  const source = readFileSync(path.join(path.dirname(packageJson), 'src', 'bedrock-chat-options.ts'), 'utf8');
  const union = /export type (?:Bedrock|AmazonBedrock)ChatModelId\s*=([\s\S]*?);/.exec(source)?.[1];
  if (union === undefined) throw new Error('BedrockChatModelId not found in the provider source');
  const ids = [...union.matchAll(/'([^']+)'/g)].map((match) => match[1] ?? '');
  if (ids.length < 20) throw new Error(`only ${ids.length} model ids read from the provider source`);
  return [...new Set(ids)];
}
