import { FAMILY_DEFAULTS, MODEL_TABLE, type ModelCapabilities, type ModelFamily } from './model-table';

/** Which Bedrock API the wrapped model speaks, which decides how a checkpoint is written. */
export type BedrockApi = 'converse' | 'anthropic-messages';

export interface ModelProfile extends ModelCapabilities {
  api: BedrockApi;
  /** The model id as the caller passed it. */
  modelId: string;
}

export type ModelMatch =
  | { supported: true; profile: ModelProfile }
  | { supported: false; api: BedrockApi | undefined; reason: string };

// `vendor.model`, optionally behind a cross-region prefix (`us.`, `us-gov.`, `global.` …).
const FOUNDATION_ID = /^(?:[a-z-]+\.)?([a-z0-9-]+\.[a-z0-9][a-z0-9.:-]*)$/;
const APPLICATION_PROFILE = /:application-inference-profile\//;

/** The Bedrock API behind an AI SDK model, from its `provider` string. */
export function bedrockApiOf(provider: string): BedrockApi | undefined {
  if (provider === 'bedrock.anthropic.messages' || /bedrock.*anthropic/.test(provider)) {
    return 'anthropic-messages';
  }
  if (/bedrock/.test(provider)) return 'converse';
  return undefined;
}

/**
 * The foundation-model id inside a model id, cross-region inference-profile id or ARN
 * (`arn:aws:bedrock:us-east-1:123:inference-profile/us.anthropic.claude-…` →
 * `anthropic.claude-…`), or undefined when the id names no foundation model
 * (application inference-profile ARNs, custom ids).
 */
export function foundationModelId(modelId: string): string | undefined {
  if (APPLICATION_PROFILE.test(modelId)) return undefined;
  const lastSegment = modelId.slice(modelId.lastIndexOf('/') + 1).toLowerCase();
  return FOUNDATION_ID.exec(lastSegment)?.[1];
}

function lookUp(foundationId: string): ModelCapabilities | undefined {
  let best: string | undefined;
  for (const prefix of Object.keys(MODEL_TABLE)) {
    if (foundationId.startsWith(prefix) && (best === undefined || prefix.length > best.length)) {
      best = prefix;
    }
  }
  return best === undefined ? undefined : MODEL_TABLE[best];
}

/**
 * What prompt caching the wrapped model supports. `modelFamily` (the caller's word)
 * is used only where the id itself names no model we know.
 */
export function modelProfile(
  model: { provider: string; modelId: string },
  modelFamily?: ModelFamily,
): ModelMatch {
  const api = bedrockApiOf(model.provider);
  if (api === undefined) {
    return { supported: false, api, reason: `provider "${model.provider}" is not Amazon Bedrock` };
  }
  const foundationId = foundationModelId(model.modelId);
  const known = foundationId === undefined ? undefined : lookUp(foundationId);
  const capabilities = known ?? (modelFamily === undefined ? undefined : FAMILY_DEFAULTS[modelFamily]);
  if (capabilities === undefined) {
    const reason =
      foundationId === undefined
        ? `model id "${model.modelId}" names no foundation model; set the modelFamily option if it is a Claude or Nova model`
        : `model "${foundationId}" does not support prompt caching on Bedrock`;
    return { supported: false, api, reason };
  }
  if (api === 'anthropic-messages' && capabilities.family !== 'anthropic') {
    return { supported: false, api, reason: `model "${model.modelId}" is not a Claude model (InvokeModel Messages API)` };
  }
  return { supported: true, profile: { ...capabilities, api, modelId: model.modelId } };
}
