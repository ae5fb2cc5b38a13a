/**
 * Validates a request against the contract, runs its handler, and answers a
 * Result: the one place both transports (ipcMain, WebSocket) go through.
 */
import { channels, isChannel, type Channel, type ResponseOf, type Result } from '../../shared/contract'
import type { z } from 'zod'
import { ClawkerError } from '../../shared/errors'
import { toClawkerError } from '../docker/errors'
import type { EventSink } from './eventHub'

/** Who called: one window or one browser socket. Streams opened by a caller go to it alone. */
export interface Caller {
  readonly id: string
  /** Sends an event to this caller only. */
  readonly emit: EventSink
  /** Runs when the caller goes away (window closed, socket dropped): release what it held. */
  onClose(release: () => void): void
}

export type Handlers = {
  [C in Channel]: (request: z.output<(typeof channels)[C]['request']>, caller: Caller) => Promise<ResponseOf<C>>
}

/** Summarises zod issues without echoing the input (it may be huge, or a secret). */
function describeIssues(issues: ReadonlyArray<{ path: ReadonlyArray<PropertyKey>; message: string }>): string {
  return issues
    .slice(0, 5)
    .map((i) => (i.path.length ? `${i.path.map(String).join('.')}: ${i.message}` : i.message))
    .join('; ')
}

export async function dispatch(handlers: Handlers, channel: unknown, request: unknown, caller: Caller): Promise<Result<unknown>> {
  if (!isChannel(channel)) {
    const shown = typeof channel === 'string' ? JSON.stringify(channel.slice(0, 64)) : typeof channel
    return { ok: false, error: { code: 'invalid-input', message: `Unknown channel ${shown}.` } }
  }
  const parsed = channels[channel].request.safeParse(request ?? {})
  if (!parsed.success) {
    const issue = parsed.error.issues[0]
    const field = typeof issue?.path[0] === 'string' ? issue.path[0] : undefined
    return {
      ok: false,
      error: {
        code: 'invalid-input',
        // One problem with one field is shown beside that field: its own words are enough there.
        message:
          field !== undefined && parsed.error.issues.length === 1
            ? issue!.message
            : `Invalid request for ${channel}: ${describeIssues(parsed.error.issues)}`,
        ...(field === undefined ? {} : { field }),
      },
    }
  }
  try {
    const handler = handlers[channel] as (r: unknown, c: Caller) => Promise<unknown>
    const value = await handler(parsed.data, caller)
    return { ok: true, value: value ?? null }
  } catch (e) {
    const err = e instanceof ClawkerError ? e : toClawkerError(e, channel)
    return { ok: false, error: err.toPayload() }
  }
}
