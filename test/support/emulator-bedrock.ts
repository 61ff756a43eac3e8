/**
 * The core's end-to-end harness: the real provider, SigV4-signed, answered in-process by
 * the Bedrock emulator (validation with Bedrock's errors, a real prefix cache, usage as
 * Bedrock reports it) on an injected clock.
 */
import { createAmazonBedrock } from '@ai-sdk/amazon-bedrock';
import { createBedrockAnthropic } from '@ai-sdk/amazon-bedrock/anthropic';
import { afterEach } from 'vitest';
import { createBedrockEmulator } from '../../src/emulator';
import type { BedrockEmulatorOptions, ScriptedReply } from '../../src/emulator';

const credentials = { region: 'us-east-1', accessKeyId: 'AKIDEMULATOR', secretAccessKey: 'emulator-secret' };

export function useEmulatedBedrock(options: Omit<BedrockEmulatorOptions, 'reply' | 'now' | 'credentials'> = {}) {
  let clock = Date.UTC(2026, 10, 22);
  let queue: ScriptedReply[] = [];
  const emulator = createBedrockEmulator({
    ...options,
    credentials,
    now: () => clock,
    reply: (context) => queue.shift() ?? { text: `Reply to: ${context.lastUserText.slice(0, 40)}` },
  });
  afterEach(() => {
    emulator.reset();
    queue = [];
  });
  const provider = { ...credentials, fetch: emulator.fetch };
  return {
    emulator,
    bedrock: createAmazonBedrock(provider),
    anthropic: createBedrockAnthropic(provider),
    /** Replies for the next requests, in order; then a deterministic text reply. */
    reply: (...next: ScriptedReply[]) => {
      queue = next;
    },
    /** The emulator's clock, for a middleware that should measure time the same way (`now` option). */
    now: () => clock,
    /** Moves the emulator's clock forward. */
    advance: (ms: number) => {
      clock += ms;
    },
    /** Usage of every successful request so far, in order. */
    usages: () => emulator.requests.filter((r) => r.status === 200).map((r) => r.usage!),
  };
}
