/**
 * What may be shown of a credentials file: metadata only. The JSON is parsed to
 * read expiry, subscription and scopes, and whether tokens are present; no token
 * is ever copied into the result. Only Claude Code's own entry (claudeAiOauth)
 * counts: the same file holds MCP servers' logins (mcpOAuth), which never decide.
 */
/** Larger credential files are never parsed, backed up over or replaced (the scripts' limit too). */
export const MAX_CREDENTIAL_BYTES = 1024 * 1024

export type LoginKind = 'usable' | 'blank' | 'none' | 'invalid' | 'too-large'

export interface CredentialMetadata {
  expiresAt: string | null
  subscriptionType: string | null
  scopes: string[]
  /** Parses and holds non-empty access and refresh tokens and a positive expiry. */
  valid: boolean
  /** usable; blank (Claude Code blanked it, e.g. after invalid_grant); none (no claudeAiOauth: signed out); invalid (not JSON); too-large (not read). */
  login: LoginKind
}

const nonEmptyString = (v: unknown) => typeof v === 'string' && v.length > 0

/** The metadata of a file that holds no login of Claude Code's (or was not read). */
export const noLogin = (login: Exclude<LoginKind, 'usable' | 'blank'>): CredentialMetadata => ({ expiresAt: null, subscriptionType: null, scopes: [], valid: false, login })

export function credentialMetadata(bytes: Buffer): CredentialMetadata {
  if (bytes.length > MAX_CREDENTIAL_BYTES) return noLogin('too-large')
  let parsed: unknown
  try {
    parsed = JSON.parse(bytes.toString('utf8'))
  } catch {
    return noLogin('invalid')
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) return noLogin('invalid')
  const oauth = (parsed as { claudeAiOauth?: unknown }).claudeAiOauth
  if (!oauth || typeof oauth !== 'object' || Array.isArray(oauth)) return noLogin('none')
  const o = oauth as Record<string, unknown>
  const expiry = typeof o.expiresAt === 'number' && Number.isInteger(o.expiresAt) && o.expiresAt > 0 ? new Date(o.expiresAt) : null
  const expiresAt = expiry && !Number.isNaN(expiry.getTime()) ? expiry.toISOString() : null
  // The scripts' rule: both tokens and a positive integer expiry make a login usable.
  const valid = nonEmptyString(o.accessToken) && nonEmptyString(o.refreshToken) && expiresAt !== null
  return {
    expiresAt,
    subscriptionType: typeof o.subscriptionType === 'string' ? o.subscriptionType.slice(0, 64) : null,
    scopes: Array.isArray(o.scopes) ? o.scopes.filter((s): s is string => typeof s === 'string').slice(0, 32).map((s) => s.slice(0, 128)) : [],
    valid,
    login: valid ? 'usable' : 'blank',
  }
}
