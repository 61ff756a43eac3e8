/**
 * Runs one example as user code: `npm run example:<name>` against a local Bedrock emulator,
 * `npm run example:<name> -- --live` against Amazon Bedrock.
 *
 * With the emulator it starts one on a free loopback port and points the example's default
 * `bedrock` provider at it through AWS_ENDPOINT_URL_BEDROCK_RUNTIME, AWS_REGION and test
 * credentials; afterwards it prints one `emulator:` line (requests, statuses, cache tokens)
 * and fails if any request was rejected. With --live nothing is changed: the provider uses
 * your AWS_REGION and AWS credentials (or AWS_BEARER_TOKEN_BEDROCK) and calls Bedrock.
 */
import { fileURLToPath, pathToFileURL } from 'node:url';
import { startBedrockEmulator } from 'ai-sdk-bedrock-cache/emulator';
import { applyEnvironment, EMULATOR_CREDENTIALS, emulatorEnvironment, EXAMPLES } from './examples';

const args = process.argv.slice(2);
const live = args.includes('--live');
const name = args.find((arg) => !arg.startsWith('--'));
const example = name === undefined ? undefined : EXAMPLES[name];
if (!example) {
  console.error(`usage: run-example.ts <${Object.keys(EXAMPLES).join('|')}> [--live]`);
  process.exit(2);
}
const file = pathToFileURL(fileURLToPath(new URL(`../${example.file}`, import.meta.url))).href;

if (live) {
  console.log(`[${name}] against Amazon Bedrock (${process.env.AWS_REGION ?? 'AWS_REGION not set'})\n`);
  await import(file);
} else {
  const emulator = await startBedrockEmulator({ port: 0, credentials: EMULATOR_CREDENTIALS, ...(example.reply && { reply: example.reply }) });
  const restore = applyEnvironment(emulatorEnvironment(emulator.url));
  console.log(`[${name}] against the Bedrock emulator at ${emulator.url} (--live for Amazon Bedrock)\n`);
  try {
    await import(file);
  } finally {
    restore();
    await emulator.close();
  }
  const requests = emulator.requests;
  const summary = {
    requests: requests.length,
    rejected: requests.filter((request) => request.status !== 200).map((request) => `${request.status} ${request.message ?? ''}`),
    cacheReadInputTokens: requests.reduce((sum, request) => sum + (request.usage?.cacheReadInputTokens ?? 0), 0),
    cacheWriteInputTokens: requests.reduce((sum, request) => sum + (request.usage?.cacheWriteInputTokens ?? 0), 0),
    uncachedInputTokens: requests.reduce((sum, request) => sum + (request.usage?.inputTokens ?? 0), 0),
  };
  console.log(`\nemulator: ${JSON.stringify(summary)}`);
  if (summary.requests === 0 || summary.rejected.length > 0) process.exitCode = 1;
}
