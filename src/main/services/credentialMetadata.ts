/**
 * What may be shown of a credentials file: metadata only. The JSON is parsed to
 * read expiry, subscription and scopes, and whether tokens are present; no token
 * is ever copied into the result.
 */
export interface CredentialMetadata {
  expiresAt: string | null
  subscriptionType: string | null
  scopes: string[]
  /** Parses and holds non-empty access and refresh tokens. */
  valid: boolean
}

const nonEmptyString = (v: unknown) => typeof v === 'string' && v.length > 0

export function credentialMetadata(bytes: Buffer): CredentialMetadata {
  const none: CredentialMetadata = { expiresAt: null, subscriptionType: null, scopes: [], valid: false }
  if (bytes.length > 1024 * 1024) return none
  let parsed: unknown
  try {
    parsed = JSON.parse(bytes.toString('utf8'))
  } catch {
    return none
  }
  const oauth = (parsed as { claudeAiOauth?: Record<string, unknown> } | null)?.claudeAiOauth
  if (!oauth || typeof oauth !== 'object') return none
  const expires = typeof oauth.expiresAt === 'number' && oauth.expiresAt > 0 ? new Date(oauth.expiresAt) : null
  return {
    expiresAt: expires && !Number.isNaN(expires.getTime()) ? expires.toISOString() : null,
    subscriptionType: typeof oauth.subscriptionType === 'string' ? oauth.subscriptionType.slice(0, 64) : null,
    scopes: Array.isArray(oauth.scopes) ? oauth.scopes.filter((s): s is string => typeof s === 'string').slice(0, 32).map((s) => s.slice(0, 128)) : [],
    valid: nonEmptyString(oauth.accessToken) && nonEmptyString(oauth.refreshToken),
  }
}
