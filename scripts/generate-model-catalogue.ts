/**
 * Adds the installed @ai-sdk/amazon-bedrock's chat model ids (region prefixes stripped) to
 * src/emulator/model-catalogue.ts, keeping the ids already there (the list is the union over
 * the provider versions this project supports). Run after a provider update:
 *   npx tsx scripts/generate-model-catalogue.ts
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { toBaseModelId } from '../src/emulator/models.js';
import { PROVIDER_MODEL_IDS } from '../src/emulator/model-catalogue.js';
import { providerAnthropicModelIds, providerChatModelIds } from '../test/support/provider-source.js';

const file = fileURLToPath(new URL('../src/emulator/model-catalogue.ts', import.meta.url));
const ids = [...new Set([...PROVIDER_MODEL_IDS, ...[...providerChatModelIds(), ...providerAnthropicModelIds()].map(toBaseModelId)])].sort();
const added = ids.filter((id) => !PROVIDER_MODEL_IDS.includes(id));
const text = readFileSync(file, 'utf8').replace(
  /(export const PROVIDER_MODEL_IDS: readonly string\[\] = \[\n)[\s\S]*?(\n\];)/,
  (_, open: string, close: string) => `${open}${ids.map((id) => `  '${id}',`).join('\n')}${close}`,
);
writeFileSync(file, text);
console.log(added.length === 0 ? 'model catalogue: up to date' : `model catalogue: added ${added.join(', ')}`);
