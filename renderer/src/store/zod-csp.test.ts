// Alone in its file so that zod's cached eval probe has not run before the spy is installed.
import { parseKeyResult } from './key-result';

describe('zod under the renderer CSP', () => {
  it('never compiles code, so no securitypolicyviolation for a missing unsafe-eval', () => {
    const spy = vi.spyOn(globalThis, 'Function');
    expect(parseKeyResult({ message: 'x', owner: 'ACME' })).toMatchObject({ owner: 'ACME' });
    expect(spy).not.toHaveBeenCalled();
    spy.mockRestore();
  });
});
