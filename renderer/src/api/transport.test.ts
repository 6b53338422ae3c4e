import { AppError } from '../../../shared/errors';
import { createApi, type Transport } from './transport';

function transportAnswering(answer: unknown): Transport & { sent: [string, unknown][] } {
  const sent: [string, unknown][] = [];
  return {
    sent,
    invoke: (channel, payload) => {
      sent.push([channel, payload]);
      return Promise.resolve(answer as never);
    },
    on: () => () => undefined,
  };
}

describe('createApi', () => {
  it('sends the channel and payload and resolves with the value of an ok envelope', async () => {
    const transport = transportAnswering({ ok: true, value: { version: '1.2.3', shell: 'browser', profile: 'p' } });
    const api = createApi(transport);
    await expect(api.invoke('app.info', {})).resolves.toEqual({ version: '1.2.3', shell: 'browser', profile: 'p' });
    expect(transport.sent).toEqual([['app.info', {}]]);
  });

  it('throws an AppError carrying code, fix and details of a failed envelope', async () => {
    const api = createApi(
      transportAnswering({
        ok: false,
        error: { code: 'KEY_INVALID', message: 'Rejected', fix: 'Copy it again', details: { owner: null } },
      }),
    );
    const err = await api.invoke('key.set', { key: 'abcdefghijkl' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AppError);
    expect(err).toMatchObject({
      code: 'KEY_INVALID',
      message: 'Rejected',
      fix: 'Copy it again',
      details: { owner: null },
    });
  });

  it('turns an answer that is not an envelope into INTERNAL', async () => {
    const api = createApi(transportAnswering({ status: 'fine' }));
    await expect(api.invoke('key.status', {})).rejects.toMatchObject({ code: 'INTERNAL' });
  });

  it('turns an unknown error code into INTERNAL instead of trusting it', async () => {
    const api = createApi(transportAnswering({ ok: false, error: { code: 'WHATEVER', message: 'x' } }));
    await expect(api.invoke('key.status', {})).rejects.toMatchObject({ code: 'INTERNAL' });
  });

  it('turns a transport that throws into INTERNAL', async () => {
    const api = createApi({
      invoke: () => Promise.reject(new Error('bridge gone')),
      on: () => () => undefined,
    });
    await expect(api.invoke('key.status', {})).rejects.toMatchObject({ code: 'INTERNAL', message: 'bridge gone' });
  });

  it('subscribes to events through the transport and unsubscribes', () => {
    const listeners = new Map<string, (p: unknown) => void>();
    const api = createApi({
      invoke: () => Promise.reject(new Error('unused')),
      on: (event, cb) => {
        listeners.set(event, cb);
        return () => listeners.delete(event);
      },
    });
    const seen: unknown[] = [];
    const off = api.on('settings.changed', (s) => seen.push(s.glpiVersion));
    listeners.get('settings.changed')?.({ glpiVersion: '11.0.1' });
    expect(seen).toEqual(['11.0.1']);
    off();
    expect(listeners.has('settings.changed')).toBe(false);
  });
});

describe('createApi files', () => {
  const file = new File(['x'], 'b.mdbundle');
  const withFiles = (answer: unknown): Transport => ({
    ...transportAnswering(null),
    files: { upload: () => Promise.resolve(answer as never), downloadUrl: (ref) => `/dl/${ref}` },
  });

  it('is null where the transport has no file routes (the desktop app)', () => {
    expect(createApi(transportAnswering(null)).files).toBeNull();
  });

  it('resolves an upload with the file reference, and rebuilds a refusal into an AppError', async () => {
    const ref = { ref: 'a'.repeat(32), name: 'b.mdbundle', kind: 'temporary', bytes: 1 };
    await expect(createApi(withFiles({ ok: true, value: ref })).files!.upload(file, () => undefined)).resolves.toEqual(
      ref,
    );
    const refused = createApi(withFiles({ ok: false, error: { code: 'BUNDLE_FAILED', message: 'not a bundle' } }));
    const err = await refused.files!.upload(file, () => undefined).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AppError);
    expect(err).toMatchObject({ code: 'BUNDLE_FAILED', message: 'not a bundle' });
    await expect(
      createApi(withFiles({ ok: true, value: 42 })).files!.upload(file, () => undefined),
    ).rejects.toMatchObject({ code: 'INTERNAL' });
    expect(createApi(withFiles(null)).files!.downloadUrl('r')).toBe('/dl/r');
  });
});
