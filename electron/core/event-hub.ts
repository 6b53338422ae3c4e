import { EVENTS, type EventName, type Events } from '../../shared/ipc/contract';

type Listener<E extends EventName> = (payload: Events[E]) => void;

/** Typed fan-out of core events to whichever shell is listening (IPC, SSE, CLI). */
export class EventHub {
  private readonly listeners = new Map<EventName, Set<(payload: unknown) => void>>();

  on<E extends EventName>(event: E, listener: Listener<E>): () => void {
    let set = this.listeners.get(event);
    if (!set) this.listeners.set(event, (set = new Set()));
    const l = listener as (payload: unknown) => void;
    set.add(l);
    return () => set.delete(l);
  }

  /** Listens to every event; used by shells that forward everything. */
  onAny(listener: (event: EventName, payload: unknown) => void): () => void {
    const offs = EVENTS.map((e) => this.on(e, (p) => listener(e, p)));
    return () => offs.forEach((off) => off());
  }

  emit<E extends EventName>(event: E, payload: Events[E]): void {
    for (const l of this.listeners.get(event) ?? []) l(payload);
  }
}
