import { type EventName, type Events } from '../../shared/ipc/contract';
type Listener<E extends EventName> = (payload: Events[E]) => void;
/** Typed fan-out of core events to whichever shell is listening (IPC, SSE, CLI). */
export declare class EventHub {
    private readonly listeners;
    on<E extends EventName>(event: E, listener: Listener<E>): () => void;
    /** Listens to every event; used by shells that forward everything. */
    onAny(listener: (event: EventName, payload: unknown) => void): () => void;
    emit<E extends EventName>(event: E, payload: Events[E]): void;
}
export {};
