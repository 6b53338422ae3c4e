import { useRunTmpdir } from './test-tmpdir';

/** Vitest's global setup: the run's own temporary folder (test-tmpdir.ts), removed at the end. */
export default function setup(): () => void {
  return useRunTmpdir();
}
