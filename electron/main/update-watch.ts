import type { PluginsView } from '../../shared/instances';
import type { Handlers } from '../core/dispatch';
import type { EventHub } from '../core/event-hub';

export interface UpdateSource {
  events: Pick<EventHub, 'on'>;
  handlers: Pick<Handlers, 'plugins.list'>;
}

/**
 * Reads the active instance's plugins (with their updates) whenever they may have changed: an
 * action ended or the instance changed (`plugins.changed`), or a catalogue refresh ended
 * (`catalog.changed` with `refreshing: false`; the key and the target version trigger one too).
 * Reads never overlap: a change during a read causes one more read after it. `check()` reads now
 * (at start). `stop()` stops listening.
 */
export function watchUpdates(
  source: UpdateSource,
  onView: (view: PluginsView) => void,
  onError: (err: unknown) => void,
): { check(): void; stop(): void } {
  let running = false;
  let again = false;
  let stopped = false;

  const check = () => {
    if (stopped) return;
    if (running) {
      again = true;
      return;
    }
    running = true;
    void Promise.resolve()
      .then(() => source.handlers['plugins.list']({}))
      .then(
        (view) => {
          if (!stopped) onView(view);
        },
        (err: unknown) => onError(err),
      )
      .catch((err: unknown) => onError(err)) // onView itself threw
      .finally(() => {
        running = false;
        if (again) {
          again = false;
          check();
        }
      });
  };

  const offs = [
    source.events.on('plugins.changed', () => check()),
    source.events.on('catalog.changed', (status) => {
      if (!status.refreshing) check();
    }),
  ];
  return {
    check,
    stop: () => {
      stopped = true;
      offs.forEach((off) => off());
    },
  };
}
