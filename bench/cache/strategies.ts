import type { LanguageModelV3Middleware } from '@ai-sdk/provider';
import { bedrockCacheMiddleware } from '../../src/index';
import { langchainPlacement } from '../peers/langchain';
import { lastMessagePlacement } from '../peers/last-message';
import type { Ttl } from './workloads';

export type StrategyKey = 'none' | 'lastMessage' | 'langchain' | 'ours';

export interface Strategy {
  key: StrategyKey;
  label: string;
  /** `now` is the workload's clock (the emulator's), for what reads the time (ours: the ledger). */
  middleware(ttl: Ttl, now: () => number): LanguageModelV3Middleware | undefined;
}

/** The placements compared, in report order (the lower bound is computed, not run). */
export const STRATEGIES: readonly Strategy[] = [
  { key: 'none', label: 'no caching', middleware: () => undefined },
  { key: 'lastMessage', label: 'last message only', middleware: (ttl) => lastMessagePlacement({ ttl }) },
  { key: 'langchain', label: "LangChain's placement", middleware: (ttl) => langchainPlacement({ ttl }) },
  { key: 'ours', label: 'bedrockCacheMiddleware', middleware: (ttl, now) => bedrockCacheMiddleware({ ttl, now, unsupportedModelBehavior: 'ignore' }) },
];
