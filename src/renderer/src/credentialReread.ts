/**
 * The timed re-read of the credential state (files change inside volumes without a Docker
 * event): every 10 s, or five reads' time when a read takes longer, so the engine is never
 * kept busy more than a fifth of the time by it.
 */
export const CREDENTIAL_REREAD_MIN_MS = 10_000

export function credentialRereadMs(lastReadMs: number): number {
  return Math.max(CREDENTIAL_REREAD_MIN_MS, Math.round(lastReadMs * 5))
}

/**
 * Container events after which the credential state may differ: not a kill, die, stop, pause or
 * OOM, which change no file in a volume. Reading then would mount the agent's volumes just as
 * `docker rm -f` (or the clawker CLI) goes on to remove them: its die comes before its destroy,
 * and the volumes' removal would find them in use.
 */
const LEAVES_VOLUMES_AS_THEY_ARE = new Set(['kill', 'die', 'stop', 'pause', 'unpause', 'oom'])

export function agentEventMayChangeCredentials(action: string): boolean {
  return !LEAVES_VOLUMES_AS_THEY_ARE.has(action)
}
