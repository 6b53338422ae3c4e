import { useEffect, useState } from 'react';
import { useAppStoreApi } from '../store/store-context';

/** The store's clock, re-read on every render and at least every `intervalMs` so "N minutes ago" stays true. */
export function useNow(intervalMs = 30_000): Date {
  const store = useAppStoreApi();
  const [, setTick] = useState(0);
  useEffect(() => {
    const id = setInterval(() => setTick((n) => n + 1), intervalMs);
    return () => clearInterval(id);
  }, [intervalMs]);
  return store.now();
}
