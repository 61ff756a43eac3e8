import type { LedgerStore } from '../ledger/ledger-store';

/**
 * A ledger store with a lease: the lease members are now optional members of
 * {@link LedgerStore} itself (src/ledger/ledger-store.ts), which fan-out coalescing reads.
 * Kept as a name for the Redis adapters' return types.
 */
export type LedgerStoreWithLease = LedgerStore;
