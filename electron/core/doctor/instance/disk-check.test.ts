import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { cleanupTemps, byId, healthyGlpi, runChecks } from './testing-doctor.testkit';

afterEach(cleanupTemps);

describe('checkInstance: disk space', () => {
  it.each([
    [120_000_000, 'warning', '120 MB free'],
    [30_000_000, 'failed', 'Only 30 MB free'],
    [5_000_000_000, 'ok', '5.0 GB free'],
  ])('%i bytes free is %s', async (free, state, text) => {
    const { root, owners } = healthyGlpi();
    const statfs = { bsize: 1000, bavail: free / 1000, blocks: 1e9 };
    const checks = await runChecks(root, { owners, statfs });
    const d = byId(checks, 'instance.disk-space');
    expect(d.state).toBe(state);
    expect(d.summary).toContain(text);
    expect(d.summary).toContain(join(root, 'marketplace'));
  });

  it('warns when the volume cannot be measured', async () => {
    const { root, owners } = healthyGlpi();
    const statfs = Object.assign(new Error('ENOSYS'), { code: 'ENOSYS' });
    const checks = await runChecks(root, { owners, statfs });
    expect(byId(checks, 'instance.disk-space')).toMatchObject({ state: 'warning' });
  });
});
