/**
 * Validates a request against the contract, runs its handler, and answers a
 * Result: the one place both transports (ipcMain, WebSocket) go through.
 */
import { channels, isChannel, type Channel, type RequestOf, type ResponseOf, type Result } from '../../shared/contract'
import { ClawkerError } from '../../shared/errors'
import { toClawkerError } from '../docker/errors'

export type Handlers = {
  [C in Channel]: (request: z_output<C>) => Promise<ResponseOf<C>>
}
type z_output<C extends Channel> = Exclude<RequestOf<C>, undefined>

/** Summarises zod issues without echoing the input (it may be huge, or a secret). */
function describeIssues(issues: ReadonlyArray<{ path: ReadonlyArray<PropertyKey>; message: string }>): string {
  return issues
    .slice(0, 5)
    .map((i) => (i.path.length ? `${i.path.map(String).join('.')}: ${i.message}` : i.message))
    .join('; ')
}

export async function dispatch(handlers: Handlers, channel: unknown, request: unknown): Promise<Result<unknown>> {
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
        message: `Invalid request for ${channel}: ${describeIssues(parsed.error.issues)}`,
        ...(field === undefined ? {} : { field }),
      },
    }
  }
  try {
    const handler = handlers[channel] as (r: unknown) => Promise<unknown>
    const value = await handler(parsed.data)
    return { ok: true, value: value ?? null }
  } catch (e) {
    const err = e instanceof ClawkerError ? e : toClawkerError(e, channel)
    return { ok: false, error: err.toPayload() }
  }
}
