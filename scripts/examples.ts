/**
 * The runnable examples (`npm run example:<name>`), and what running one against the local
 * Bedrock emulator needs: the environment that points the examples' default `bedrock`
 * provider at it, and scripted model replies where an example needs tool calls.
 */
import type { ReplyOption, ScriptedReply } from 'ai-sdk-bedrock-cache/emulator';

/** Credentials the emulator verifies (SigV4), set for the example as AWS_* variables. */
export const EMULATOR_CREDENTIALS = { accessKeyId: 'AKIDEXAMPLERUNNER', secretAccessKey: 'example-runner-secret' };

/**
 * AWS_* variables for an example talking to the emulator at `url`. `undefined` = unset:
 * a session token or Bedrock API key from the caller's shell would change the signing.
 */
export function emulatorEnvironment(url: string): Record<string, string | undefined> {
  return {
    AWS_ENDPOINT_URL_BEDROCK_RUNTIME: url,
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: EMULATOR_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: EMULATOR_CREDENTIALS.secretAccessKey,
    AWS_SESSION_TOKEN: undefined,
    AWS_BEARER_TOKEN_BEDROCK: undefined,
  };
}

/** Sets (or unsets) environment variables; returns a function that restores the previous values. */
export function applyEnvironment(variables: Record<string, string | undefined>): () => void {
  const previous = Object.fromEntries(Object.keys(variables).map((name) => [name, process.env[name]]));
  const set = (values: Record<string, string | undefined>) => {
    for (const [name, value] of Object.entries(values)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  };
  set(variables);
  return () => set(previous);
}

type ConverseBody = { messages?: Array<{ role: string; content: Array<Record<string, unknown>> }> };

/**
 * The trip-planning agent's model, scripted: weather for every city in parallel, then hotels
 * for every city in parallel, then the plan. Decided from the request, so it holds for
 * generate and stream alike.
 */
const agentReplies: ReplyOption = ({ body }): ScriptedReply => {
  const cities = ['Bergen', 'Ålesund', 'Trondheim', 'Tromsø'];
  const steps = ((body as ConverseBody).messages ?? []).filter((message) => message.role === 'assistant').length;
  if (steps === 0) return { toolUses: cities.map((city) => ({ name: 'weather', input: { city } })) };
  if (steps === 1) return { toolUses: cities.map((city) => ({ name: 'hotels', input: { city } })) };
  return { text: `Day 1–2 Bergen (Brygga), day 3 Ålesund, day 4–5 Trondheim, day 6–7 Tromsø: sunny, 21°C everywhere.` };
};

export interface Example {
  /** The example's file, from the repo root. */
  file: string;
  /** Scripted replies for the emulator (default: a deterministic echo of the question). */
  reply?: ReplyOption;
}

export const EXAMPLES: Record<string, Example> = {
  'generate-text': { file: 'examples/generate-text.ts' },
  'stream-text': { file: 'examples/stream-text.ts' },
  'agent-with-tools': { file: 'examples/agent-with-tools.ts', reply: agentReplies },
  'next-chat': { file: 'examples/next-chat/chat-in-terminal.ts' },
};
