import { describe, expect, it, vi } from 'vitest';
import type { CatalogStatus } from '../../shared/catalog';
import type { PluginsView } from '../../shared/instances';
import { EventHub } from '../core/event-hub';
import { watchUpdates } from './update-watch';

const view = (updates: number) => ({ instance: null, plugins: [], catalogue: true, updates }) as PluginsView;
const status = (refreshing: boolean) => ({ refreshing }) as CatalogStatus;

function setup() {
  const events = new EventHub();
  const reads: ((v: PluginsView) => void)[] = [];
  const list = vi.fn(() => new Promise<PluginsView>((resolve) => reads.push(resolve)));
  const onView = vi.fn();
  const onError = vi.fn();
  const watch = watchUpdates({ events, handlers: { 'plugins.list': list } }, onView, onError);
  return { events, reads, list, onView, onError, watch };
}

describe('watchUpdates', () => {
  it('reads the plugins on plugins.changed and when a catalogue refresh ends', async () => {
    const { events, reads, list, onView } = setup();
    events.emit('plugins.changed', { instance: 'prod' });
    await vi.waitFor(() => expect(list).toHaveBeenCalledTimes(1));
    reads[0]?.(view(2));
    await vi.waitFor(() => expect(onView).toHaveBeenCalledWith(view(2)));

    events.emit('catalog.changed', status(true));
    await Promise.resolve();
    expect(list).toHaveBeenCalledTimes(1); // a refresh starting changes nothing yet
    events.emit('catalog.changed', status(false));
    await vi.waitFor(() => expect(list).toHaveBeenCalledTimes(2));
  });

  it('never overlaps reads: changes during one cause exactly one more', async () => {
    const { events, reads, list, onView, watch } = setup();
    watch.check();
    events.emit('plugins.changed', { instance: 'prod' });
    events.emit('plugins.changed', { instance: 'prod' });
    await vi.waitFor(() => expect(list).toHaveBeenCalledTimes(1));
    reads[0]?.(view(1));
    await vi.waitFor(() => expect(list).toHaveBeenCalledTimes(2));
    reads[1]?.(view(3));
    await vi.waitFor(() => expect(onView).toHaveBeenLastCalledWith(view(3)));
    await new Promise((r) => setTimeout(r, 10));
    expect(list).toHaveBeenCalledTimes(2);
  });

  it('reports a failed read (or a failing listener) and carries on', async () => {
    const events = new EventHub();
    const list = vi.fn().mockRejectedValueOnce(new Error('EACCES')).mockResolvedValue(view(1));
    const onError = vi.fn();
    const onView = vi.fn(() => {
      throw new Error('listener');
    });
    const watch = watchUpdates({ events, handlers: { 'plugins.list': list } }, onView, onError);
    watch.check();
    await vi.waitFor(() => expect(onError).toHaveBeenCalledWith(expect.objectContaining({ message: 'EACCES' })));
    watch.check();
    await vi.waitFor(() => expect(onError).toHaveBeenCalledWith(expect.objectContaining({ message: 'listener' })));
  });

  it('stops listening', async () => {
    const { events, list, watch } = setup();
    watch.stop();
    events.emit('plugins.changed', { instance: 'prod' });
    watch.check();
    await new Promise((r) => setTimeout(r, 10));
    expect(list).not.toHaveBeenCalled();
  });
});
