import { EventEmitter } from 'node:events';
import { describe, expect, it, vi } from 'vitest';
import type { KeyStatus } from '../../shared/model';
import { createBridge, type IpcRendererLike } from './bridge';

/** An ipcRenderer stand-in: events are emitted with an IpcRendererEvent-like first argument. */
function fakeIpc(
  answer: (channel: string, payload: unknown) => Promise<unknown> = () => Promise.resolve({ ok: true, value: null }),
) {
  const emitter = new EventEmitter();
  const invoke = vi.fn((channel: string, ...args: unknown[]) => answer(channel, args[0]));
  const on = vi.fn((channel: string, listener: (...args: unknown[]) => void) => emitter.on(channel, listener));
  const removeListener = vi.fn((channel: string, listener: (...args: unknown[]) => void) =>
    emitter.removeListener(channel, listener),
  );
  const ipc: IpcRendererLike = { invoke, on, removeListener };
  const fakeEvent = { sender: { send: () => undefined, invoke: () => undefined }, senderId: 0, ports: [] };
  const emit = (channel: string, payload: unknown) => emitter.emit(channel, fakeEvent, payload);
  return { ipc, invoke, on, removeListener, emitter, emit };
}

const status = { profile: 'default', state: 'valid', maskedKey: 'abcd…wxyz' } as KeyStatus;

describe('createBridge', () => {
  it('exposes exactly invoke and on, frozen', () => {
    const bridge = createBridge(fakeIpc().ipc);
    expect(Object.keys(bridge).sort()).toEqual(['invoke', 'on']);
    expect(Object.isFrozen(bridge)).toBe(true);
  });

  it('sends a contract channel as md:<channel> with its payload and returns the envelope', async () => {
    const { ipc, invoke } = fakeIpc(() => Promise.resolve({ ok: true, value: status }));
    const res = await createBridge(ipc).invoke('key.set', { key: 'ABCD-1234' });
    expect(invoke).toHaveBeenCalledWith('md:key.set', { key: 'ABCD-1234' });
    expect(res).toEqual({ ok: true, value: status });
  });

  it.each(['key.get', 'md:key.set', 'electron-store-get-data', '__proto__', 'constructor', 'toString', '', 'KEY.SET'])(
    'refuses unknown channel %j without touching IPC',
    async (channel) => {
      const { ipc, invoke } = fakeIpc();
      const res = await createBridge(ipc).invoke(channel, {});
      expect(res).toMatchObject({ ok: false, error: { code: 'UNKNOWN_CHANNEL' } });
      expect(invoke).not.toHaveBeenCalled();
    },
  );

  it.each(['bundles.create', 'bundles.inspect', 'bundles.import'])(
    'refuses %s, whose request names a local path (the CLI only), without touching IPC',
    async (channel) => {
      const { ipc, invoke } = fakeIpc();
      const res = await createBridge(ipc).invoke(channel, { file: '/etc/passwd' });
      expect(res).toMatchObject({ ok: false, error: { code: 'UNKNOWN_CHANNEL' } });
      expect(invoke).not.toHaveBeenCalled();
    },
  );

  it('refuses a channel that is not a string', async () => {
    const { ipc, invoke } = fakeIpc();
    const res = await createBridge(ipc).invoke({ toString: () => 'key.set' } as never, {});
    expect(res).toMatchObject({ ok: false, error: { code: 'UNKNOWN_CHANNEL' } });
    expect(invoke).not.toHaveBeenCalled();
  });

  it('turns an IPC failure into INTERNAL without the internal error text', async () => {
    const { ipc } = fakeIpc(() =>
      Promise.reject(new Error("Error invoking remote method 'md:key.set': Error: An object could not be cloned.")),
    );
    const res = await createBridge(ipc).invoke('key.set', { key: 'x' });
    expect(res).toMatchObject({ ok: false, error: { code: 'INTERNAL' } });
    expect(JSON.stringify(res)).not.toContain('md:key.set');
  });

  it('calls back with the payload only, never the IpcRendererEvent', () => {
    const { ipc, emit } = fakeIpc();
    const callback = vi.fn();
    createBridge(ipc).on('key.changed', callback);
    emit('md:event:key.changed', status);
    expect(callback).toHaveBeenCalledTimes(1);
    expect(callback.mock.calls[0]).toEqual([status]);
  });

  it('listens on md:event:<name> only for that event', () => {
    const { ipc, emit } = fakeIpc();
    const callback = vi.fn();
    createBridge(ipc).on('key.changed', callback);
    emit('md:event:settings.changed', {});
    emit('key.changed', status);
    expect(callback).not.toHaveBeenCalled();
  });

  it('unsubscribes, and a second unsubscribe is harmless', () => {
    const { ipc, emit, emitter, removeListener } = fakeIpc();
    const callback = vi.fn();
    const off = createBridge(ipc).on('settings.changed', callback);
    emit('md:event:settings.changed', { a: 1 });
    off();
    off();
    emit('md:event:settings.changed', { a: 2 });
    expect(callback.mock.calls).toEqual([[{ a: 1 }]]);
    expect(emitter.listenerCount('md:event:settings.changed')).toBe(0);
    expect(removeListener).toHaveBeenCalledTimes(1);
  });

  it('keeps other subscribers when one unsubscribes', () => {
    const { ipc, emit } = fakeIpc();
    const bridge = createBridge(ipc);
    const a = vi.fn();
    const b = vi.fn();
    const offA = bridge.on('key.changed', a);
    bridge.on('key.changed', b);
    offA();
    emit('md:event:key.changed', status);
    expect(a).not.toHaveBeenCalled();
    expect(b).toHaveBeenCalledWith(status);
  });

  it.each(['key.set', 'md:event:key.changed', 'electron-store-get-data', '__proto__', ''])(
    'refuses to listen to %j',
    (name) => {
      const { ipc, on } = fakeIpc();
      expect(() => createBridge(ipc).on(name as never, vi.fn())).toThrow(TypeError);
      expect(on).not.toHaveBeenCalled();
    },
  );

  it('refuses a callback that is not a function', () => {
    const { ipc, on } = fakeIpc();
    expect(() => createBridge(ipc).on('key.changed', 'alert(1)' as never)).toThrow(TypeError);
    expect(on).not.toHaveBeenCalled();
  });
});
