import type { CacheRemedy } from '../recovery/cache-rejection';
import { modelProfile, type ModelMatch, type ProfileSources } from './model-profile';

/**
 * The model profiles one middleware instance uses: read once per model (a middleware
 * usually wraps one model), then adjusted by what Bedrock's rejections taught about that
 * model id (a 1h TTL it refuses, message checkpoints Nova 2 Lite refuses: §3), so that a
 * rejected request is retried once and never sent the same way again.
 */
export function createModelMemory(sources: ProfileSources) {
  const profiles = new Map<string, ModelMatch>();
  const lessons = new Map<string, { no1h?: boolean; noMessageCheckpoints?: boolean }>();
  return {
    profileOf(model: { provider: string; modelId: string }): ModelMatch {
      const key = `${model.provider}\n${model.modelId}`;
      let match = profiles.get(key);
      if (!match) {
        if (profiles.size >= 64) profiles.clear();
        match = modelProfile(model, sources);
        profiles.set(key, match);
      }
      const lesson = lessons.get(model.modelId);
      if (!lesson || !match.supported) return match;
      return {
        supported: true,
        profile: {
          ...match.profile,
          ...(lesson.no1h && { ttls: ['5m'] as const }),
          ...(lesson.noMessageCheckpoints && { cachesMessages: false }),
        },
      };
    },
    /** Remembers what a rejection's remedy says about the model. */
    learn(modelId: string, remedy: CacheRemedy): void {
      if (remedy === 'without-our-checkpoints') return;
      const lesson = { ...lessons.get(modelId) };
      if (remedy === 'ttl-5m') lesson.no1h = true;
      if (remedy === 'without-message-checkpoints') lesson.noMessageCheckpoints = true;
      if (lessons.size >= 256) lessons.clear();
      lessons.set(modelId, lesson);
    },
  };
}
