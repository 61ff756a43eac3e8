import type { Ttl } from './workloads';

/** TTL lengths in ms (shared doc §1: 5 minutes, 1 hour). */
export const TTL_MS: Readonly<Record<Ttl, number>> = { '5m': 5 * 60_000, '1h': 60 * 60_000 };
