/**
 * Test inputs read from the installed @ai-sdk/amazon-bedrock's own source (it ships `src/`),
 * so that a provider update that adds a model id or a media type is tested without a code
 * change. On the ai 7 leg this resolves provider 5's copy (its files are named differently,
 * so they are found by what they declare, not by name).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

function providerSources(): Array<{ file: string; text: string }> {
  const packageJson = createRequire(import.meta.url).resolve('@ai-sdk/amazon-bedrock/package.json');
  const src = path.join(path.dirname(packageJson), 'src');
  // the top folder and the `/anthropic` sub-provider's
  return ['', 'anthropic']
    .flatMap((dir) => readdirSync(path.join(src, dir)).map((file) => path.join(dir, file)))
    .filter((file) => file.endsWith('.ts') && !file.endsWith('.test.ts'))
    .map((file) => ({ file, text: readFileSync(path.join(src, file), 'utf8') }));
}

function declaration(pattern: RegExp, what: string): string {
  for (const { text } of providerSources()) {
    const found = pattern.exec(text)?.[1];
    if (found !== undefined) return found;
  }
  throw new Error(`${what} not found in the installed provider's source`);
}

/** Every model id of the provider's chat model id union, deduplicated, in file order. */
export function providerChatModelIds(): string[] {
  const union = declaration(/export type (?:Bedrock|AmazonBedrock)ChatModelId\s*=([\s\S]*?);/, 'the chat model id union');
  const ids = [...new Set([...union.matchAll(/'([^']+)'/g)].map((m) => m[1]!))];
  if (ids.length < 20) throw new Error(`only ${ids.length} model ids read from the provider source`);
  return ids;
}

/** Every model id of the `/anthropic` sub-provider's model id union (InvokeModel), deduplicated. */
export function providerAnthropicModelIds(): string[] {
  const union = declaration(/export type (?:Bedrock|AmazonBedrock)AnthropicModelId\s*=([\s\S]*?);/, 'the anthropic model id union');
  return [...new Set([...union.matchAll(/'([^']+)'/g)].map((m) => m[1]!))];
}

/** The provider's media type → Converse document format table (`BEDROCK_DOCUMENT_MIME_TYPES`). */
export function providerDocumentMediaTypes(): Record<string, string> {
  const table = declaration(/export const (?:AMAZON_)?BEDROCK_DOCUMENT_MIME_TYPES\s*=\s*\{([\s\S]*?)\}/, 'the document media types');
  const entries = [...table.matchAll(/'([^']+)':\s*'([^']+)'/g)].map((m) => [m[1]!, m[2]!] as const);
  if (entries.length < 5) throw new Error(`only ${entries.length} document media types read from the provider source`);
  return Object.fromEntries(entries);
}

/** The provider's image media types (`BEDROCK_IMAGE_MIME_TYPES`). */
export function providerImageMediaTypes(): string[] {
  const table = declaration(/export const (?:AMAZON_)?BEDROCK_IMAGE_MIME_TYPES\s*=\s*\{([\s\S]*?)\}/, 'the image media types');
  return [...table.matchAll(/'([^']+)':\s*'([^']+)'/g)].map((m) => m[1]!);
}

/** The provider's video media types (`BEDROCK_VIDEO_MIME_TYPES`, provider 5 only: provider 4 sends no video). */
export function providerVideoMediaTypes(): string[] {
  for (const { text } of providerSources()) {
    const table = /export const (?:AMAZON_)?BEDROCK_VIDEO_MIME_TYPES\s*=\s*\{([\s\S]*?)\}/.exec(text)?.[1];
    if (table !== undefined) return [...table.matchAll(/'([^']+)':\s*'([^']+)'/g)].map((m) => m[1]!);
  }
  return [];
}
