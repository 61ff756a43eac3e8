/**
 * A ledger store that fails (a shared store down) costs the explanations, never the call:
 * the returned wrapper turns a failure into `undefined`, logged once per middleware instance.
 */
export function guardStoreFailures(): <T>(work: () => Promise<T>) => Promise<T | undefined> {
  let failed = false;
  return async (work) => {
    try {
      return await work();
    } catch (error) {
      if (!failed) console.error(`[bedrock-cache] the cache ledger's store failed (${error instanceof Error ? error.message : String(error)}); calls go on without it. Later failures are not logged.`);
      failed = true;
      return undefined;
    }
  };
}
