import { AppError, type Envelope } from '../../shared/errors';
import { isChannel, type Channel, type Req, type Res } from '../../shared/ipc/contract';
import { requestSchemas } from '../../shared/ipc/schemas';
import type { Logger } from './ports';

/** A handler for every channel: a missing one does not compile. */
export type Handlers = { [C in Channel]: (req: Req<C>) => Promise<Res<C>> };

/**
 * The one entry point every shell calls: validates the channel and payload, runs the handler and
 * wraps the result. Unknown errors are logged in full here and cross as INTERNAL, without stack.
 */
export async function dispatch(
  handlers: Handlers,
  channel: string,
  payload: unknown,
  logger: Logger,
): Promise<Envelope<unknown>> {
  if (!isChannel(channel)) {
    return { ok: false, error: { code: 'UNKNOWN_CHANNEL', message: `Unknown channel "${channel}".` } };
  }
  const parsed = requestSchemas[channel].safeParse(payload ?? {});
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join('.') || 'payload'}: ${i.message}`);
    return {
      ok: false,
      error: { code: 'INVALID_INPUT', message: `Invalid request for ${channel}: ${issues.join('; ')}` },
    };
  }
  try {
    const handler = handlers[channel] as (req: unknown) => Promise<unknown>;
    return { ok: true, value: await handler(parsed.data) };
  } catch (err) {
    if (err instanceof AppError) return { ok: false, error: err.toShape() };
    logger.error(`Unhandled error in ${channel}`, {
      error: err instanceof Error ? (err.stack ?? err.message) : String(err),
    });
    return {
      ok: false,
      error: { code: 'INTERNAL', message: 'Something went wrong inside Marketdesk; the details are in the log.' },
    };
  }
}
