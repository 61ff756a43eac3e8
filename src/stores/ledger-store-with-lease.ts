import type { LedgerStore } from '../ledger/ledger-store';

/**
 * A ledger store that can also coordinate a fleet: a lease is a short-lived lock on a name,
 * held by at most one instance at a time (for coalescing a fan-out across instances, issue
 * 14). Both members are optional; a store without them coordinates nothing.
 */
export interface LedgerStoreWithLease extends LedgerStore {
  /**
   * Takes the lease `key` for `ttlMs` if no one holds it: true when this store now holds it.
   * It ends by itself after `ttlMs`, so a crashed holder never blocks the others for longer.
   */
  acquireLease?(key: string, ttlMs: number): Promise<boolean>;
  /** Gives up a lease this store holds; does nothing when it has expired and someone else holds it now. */
  releaseLease?(key: string): Promise<void>;
}
