import { createBedrockEmulator } from '../../src/emulator/index.js';
import type { Target } from '../run-fixture.js';
import { requestPath, type WireResponse } from '../wire.js';

/** Emulated time to first byte in the replay (ms on the injected clock; see `settle`). */
const TIME_TO_FIRST_BYTE_MS = 1_000;
/** Time that passes between two sequential steps: longer than the time to first byte. */
const STEP_GAP_MS = 2_000;

/** Reads a Fetch `Response` into the runner's raw form. */
export async function toWireResponse(response: Response): Promise<WireResponse> {
  const headers: Record<string, string> = {};
  response.headers.forEach((value, name) => {
    headers[name.toLowerCase()] = value;
  });
  return { status: response.status, headers, body: new Uint8Array(await response.arrayBuffer()) };
}

/**
 * The in-process emulator as a target: a fresh emulator per fixture with an injected clock.
 * Requests of a parallel group arrive at the same instant, before any response has begun (each
 * takes `TIME_TO_FIRST_BYTE_MS` to its first byte); after every step the clock moves on by
 * `STEP_GAP_MS`, so the next sequential request finds what the previous one wrote. TTL steps
 * move the clock without waiting.
 */
export function emulatorTarget(): Target {
  return {
    name: 'emulator',
    async open() {
      let time = Date.UTC(2026, 11, 1);
      const emulator = createBedrockEmulator({ now: () => time, timeToFirstByteMs: TIME_TO_FIRST_BYTE_MS, hiddenTokens: true });
      return {
        async send(request) {
          const response = await emulator.handle(
            new Request(`https://bedrock-runtime.us-east-1.amazonaws.com${requestPath(request)}`, {
              method: 'POST',
              headers: { 'content-type': 'application/json', accept: 'application/json' },
              body: JSON.stringify(request.body),
            }),
          );
          return toWireResponse(response);
        },
        async advanceClock(seconds) {
          time += seconds * 1000;
        },
        async settle() {
          time += STEP_GAP_MS;
        },
      };
    },
  };
}
