import type { MarketdeskBridge } from '../../../shared/ipc/contract';
import { createElectronTransport } from './electron-transport';
import { pickTransport } from './pick-transport';

describe('createElectronTransport', () => {
  it('passes invokes and events through the preload bridge', async () => {
    const off = vi.fn();
    const invoke = vi.fn(() => Promise.resolve({ ok: true as const, value: 'pong' }));
    const on = vi.fn(() => off);
    const bridge: MarketdeskBridge = { invoke, on };
    const transport = createElectronTransport(bridge);
    await expect(transport.invoke('app.info', {})).resolves.toEqual({ ok: true, value: 'pong' });
    expect(invoke).toHaveBeenCalledWith('app.info', {});
    const cb = () => undefined;
    expect(transport.on('key.changed', cb)).toBe(off);
    expect(on).toHaveBeenCalledWith('key.changed', cb);
  });

  it('turns a rejected ipc invoke into an INTERNAL envelope', async () => {
    const transport = createElectronTransport({
      invoke: () => Promise.reject(new Error("No handler registered for 'key.sync'")),
      on: () => () => undefined,
    });
    const env = await transport.invoke('key.sync', {});
    expect(env).toMatchObject({ ok: false, error: { code: 'INTERNAL' } });
  });
});

describe('pickTransport', () => {
  afterEach(() => {
    delete window.marketdesk;
  });

  it('uses the bridge when the preload exposed window.marketdesk', async () => {
    const invoke = vi.fn(() => Promise.resolve({ ok: true as const, value: 1 }));
    window.marketdesk = { invoke, on: () => () => undefined };
    await pickTransport().invoke('app.info', {});
    expect(invoke).toHaveBeenCalled();
  });

  it('falls back to HTTP without the bridge', async () => {
    const fetch = vi.spyOn(globalThis, 'fetch').mockResolvedValue(new Response(JSON.stringify({ ok: true, value: 1 })));
    await pickTransport().invoke('app.info', {});
    expect(fetch).toHaveBeenCalledWith('/api/invoke/app.info', expect.objectContaining({ method: 'POST' }));
    fetch.mockRestore();
  });
});
