/**
 * The timed re-read of the credential state (files change inside volumes without a Docker
 * event): every 10 s, or five reads' time when a read takes longer, so the engine is never
 * kept busy more than a fifth of the time by it.
 */
export const CREDENTIAL_REREAD_MIN_MS = 10_000

export function credentialRereadMs(lastReadMs: number): number {
  return Math.max(CREDENTIAL_REREAD_MIN_MS, Math.round(lastReadMs * 5))
}
