import { en, type MessageId, type Messages } from './en';

/**
 * A message as the core sends it next to its English text: an id of the catalogue and its
 * parameters. A shell renders it in its language; an id it does not know falls back to the text.
 */
export interface MessageRef {
  id: string;
  params?: Record<string, string>;
}

type ParamsOf<K extends MessageId> = Parameters<Messages[K]> extends [infer A] ? A : Record<string, never>;

/** A reference, its parameters checked against the catalogue. */
export function ref<K extends MessageId>(id: K, ...params: Parameters<Messages[K]>): MessageRef {
  const [first] = params as unknown as [ParamsOf<K>?];
  return first === undefined ? { id } : { id, params: { ...(first as Record<string, string>) } };
}

export function isMessageId(id: string): id is MessageId {
  return Object.prototype.hasOwnProperty.call(en, id);
}

/** The text of a reference in a catalogue; `fallback` (the core's English) for an unknown id. */
export function render(catalog: Messages, message: MessageRef | undefined, fallback: string): string;
export function render(catalog: Messages, message: MessageRef | undefined, fallback?: string): string | undefined;
export function render(catalog: Messages, message: MessageRef | undefined, fallback?: string): string | undefined {
  if (!message || !isMessageId(message.id)) return fallback;
  const entry = catalog[message.id] as (params: Record<string, string>) => string;
  return entry(message.params ?? {});
}

/** The English text of a reference: what the core keeps in `message`, `summary` and `fix`. */
export function english(message: MessageRef): string {
  return render(en, message, message.id);
}
