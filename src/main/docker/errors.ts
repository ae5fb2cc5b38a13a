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

/**
 * Why an engine cannot be reached, in a word the user can act on (DNS, refused, TLS, auth,
 * host key, timeout), then the library's own message.
 */
export function connectionProblem(e: unknown): string {
  const code = (e as DockerodeError)?.code ?? ''
  const message = engineMessage(e)
  const both = `${code} ${message}`
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return `DNS: the engine's host name does not resolve (${message})`
  if (code === 'ECONNREFUSED') return `refused: nothing answers at that address (${message})`
  if (/CERT|SSL|TLS|self[- ]signed|altname|certificate/i.test(both)) return `TLS: the engine's certificate or ours was refused (${message})`
  if (/host key|hostVerifier|Host denied/i.test(both)) return `SSH host key: the host is not in known_hosts, or its key changed (${message})`
  if (/authentication methods failed|Permission denied|auth/i.test(both)) return `auth: the SSH login was refused (${message})`
  if (code === 'ETIMEDOUT' || /timed? ?out/i.test(message)) return `timeout: the engine did not answer in time (${message})`
  return message
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
