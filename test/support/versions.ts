/**
 * Major versions of the AI SDK line this test run actually loaded: resolved by the same
 * module resolution the tests' own `import … from 'ai'` uses, so a leg can't claim one
 * line and run another. The default suite runs ai 6; `compat/ai7/run.sh` runs ai 7.
 */
import aiPackage from 'ai/package.json';
import bedrockPackage from '@ai-sdk/amazon-bedrock/package.json';
import providerPackage from '@ai-sdk/provider/package.json';
import mswPackage from 'msw/package.json';
import vitestPackage from 'vitest/package.json';

const major = (version: string) => Number(version.split('.')[0]);

export const LOADED = {
  ai: major(aiPackage.version),
  amazonBedrock: major(bedrockPackage.version),
  provider: major(providerPackage.version),
  msw: major(mswPackage.version),
  vitest: major(vitestPackage.version),
  node: major(process.versions.node),
};

/** `@ai-sdk/amazon-bedrock` 5 (ai 7) also reads `providerOptions.amazonBedrock`; 4 reads only `bedrock`. */
export const PROVIDER_READS_AMAZON_BEDROCK_KEY = LOADED.amazonBedrock >= 5;
