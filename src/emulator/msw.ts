import { http, type HttpHandler } from 'msw';
import type { BedrockEmulator } from './create-bedrock-emulator.js';

/** Options of `bedrockEmulatorHandlers`. */
export interface BedrockEmulatorHandlersOptions {
  /** An extra base URL to intercept (e.g. the provider's custom `baseURL`), without trailing slash. */
  baseUrl?: string;
}

/** Any regional (or FIPS) bedrock-runtime endpoint, incl. the China partition. */
const AWS_ENDPOINT = /^https:\/\/bedrock-runtime(?:-fips)?\.[a-z0-9-]+\.amazonaws\.com(?:\.cn)?\/model\//;

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * msw request handlers that answer Bedrock runtime calls with the in-process emulator
 * (for `setupServer(...bedrockEmulatorHandlers(emulator))`). They match
 * `https://bedrock-runtime.*.amazonaws.com/model/…` and, if given, `{baseUrl}/model/…`.
 * Needs `msw` (a dev/test dependency); import from `ai-sdk-bedrock-cache/emulator/msw`.
 */
export function bedrockEmulatorHandlers(
  emulator: Pick<BedrockEmulator, 'handle'>,
  options: BedrockEmulatorHandlersOptions = {},
): HttpHandler[] {
  const patterns = [AWS_ENDPOINT];
  if (options.baseUrl !== undefined) {
    patterns.push(new RegExp(`^${escapeRegExp(options.baseUrl.replace(/\/+$/, ''))}/model/`));
  }
  return patterns.map((pattern) => http.post(pattern, ({ request }) => emulator.handle(request)));
}
