import { type Envelope } from '../../shared/errors';
import { type Channel, type Req, type Res } from '../../shared/ipc/contract';
import type { Logger } from './ports';
/** A handler for every channel: a missing one does not compile. */
export type Handlers = {
    [C in Channel]: (req: Req<C>) => Promise<Res<C>>;
};
/**
 * The one entry point every shell calls: validates the channel and payload, runs the handler and
 * wraps the result. Unknown errors are logged in full here and cross as INTERNAL, without stack.
 */
export declare function dispatch(handlers: Handlers, channel: string, payload: unknown, logger: Logger): Promise<Envelope<unknown>>;
