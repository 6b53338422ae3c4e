import { parseKeyResult } from './key-result';

describe('parseKeyResult', () => {
  it('reads a KeyStatus-like result', () => {
    expect(
      parseKeyResult({
        state: 'terminated',
        owner: 'ACME',
        subscription: { title: 'GLPI Network Basic', offer: 'basic', running: false, begins: null, ends: '2024-12-31' },
        message: 'Terminated.',
        checkedAt: '2025-01-01T00:00:00Z',
        maskedKey: null,
      }),
    ).toMatchObject({ state: 'terminated', owner: 'ACME', message: 'Terminated.', subscription: { offer: 'basic' } });
  });

  it('reads a RegistrationAnswer and derives the state', () => {
    expect(
      parseKeyResult({ valid: false, message: 'Nope', owner: null, subscription: null, checkedAt: 'x' }),
    ).toMatchObject({
      state: 'invalid',
      message: 'Nope',
    });
  });

  it('returns null when nothing can be shown', () => {
    expect(parseKeyResult(undefined)).toBeNull();
    expect(parseKeyResult('text')).toBeNull();
    expect(parseKeyResult({ unrelated: 1 })).toBeNull();
  });

  it('drops a malformed field but keeps the rest', () => {
    expect(parseKeyResult({ message: 'Kept', subscription: { title: 3 } })).toMatchObject({
      message: 'Kept',
      subscription: null,
    });
  });
});
