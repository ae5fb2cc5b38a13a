/** Turns what dockerode throws into the typed errors the UI can show. */
import { agentLabel } from '../../shared/agentText'
import type { AgentRef } from '../../shared/contract'
import { ClawkerError } from '../../shared/errors'

interface DockerodeError {
  statusCode?: number
  reason?: string
  json?: { message?: string } | null
  code?: string
  message?: string
}

const CONNECTION_CODES = new Set(['ECONNREFUSED', 'ENOENT', 'EACCES', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH'])

/** The engine's own message, without dockerode's "(HTTP code 404) no such container - " decoration. */
export function engineMessage(e: unknown): string {
  const err = e as DockerodeError
  return err.json?.message ?? err.reason ?? err.message ?? String(e)
}

export function isNotFound(e: unknown): boolean {
  return (e as DockerodeError)?.statusCode === 404
}

export function isConflict(e: unknown): boolean {
  return (e as DockerodeError)?.statusCode === 409
}

export function isEngineUnreachable(e: unknown): boolean {
  const code = (e as DockerodeError)?.code
  return code !== undefined && CONNECTION_CODES.has(code)
}

/** Wraps any error from a Docker call in a ClawkerError with a message saying what was being done. */
export function toClawkerError(e: unknown, doing: string): ClawkerError {
  if (e instanceof ClawkerError) return e
  if (isEngineUnreachable(e)) {
    return new ClawkerError('engine-unavailable', `The Docker engine is not answering while ${doing}. Start Docker and try again.`, { cause: e })
  }
  if (isNotFound(e)) return new ClawkerError('not-found', `Not found while ${doing}: ${engineMessage(e)}`, { cause: e })
  if (isConflict(e)) return new ClawkerError('in-use', `Docker refused ${doing}: ${engineMessage(e)}`, { cause: e })
  if ((e as DockerodeError)?.statusCode) {
    return new ClawkerError('engine-refused', `Docker refused ${doing}: ${engineMessage(e)}`, { cause: e })
  }
  return new ClawkerError('internal', `Unexpected error while ${doing}: ${(e as Error)?.message ?? String(e)}`, { cause: e })
}

/** The typed error for an agent that is not there. */
export function notFound(ref: AgentRef): ClawkerError {
  return new ClawkerError('not-found', `There is no agent ${agentLabel(ref)}.`, { field: 'agent' })
}
