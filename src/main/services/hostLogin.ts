/**
 * The host's own Claude Code login: `$CLAUDE_CONFIG_DIR/.credentials.json` or
 * `~/.claude/.credentials.json`; on macOS the Keychain item
 * `Claude Code-credentials`, read with `security`. Read only, never changed.
 */
import { execFile } from 'node:child_process'
import { readFile } from 'node:fs/promises'
import { homedir } from 'node:os'
import { join } from 'node:path'

export interface HostLogin {
  /** Where it was looked for, shown to the user. */
  where: string
  bytes?: Buffer
  /** Why it could not be read (absent is not an error). */
  error?: string
}

export interface HostEnv {
  env: NodeJS.ProcessEnv
  platform: NodeJS.Platform
  home: string
}

export const systemHostEnv = (): HostEnv => ({ env: process.env, platform: process.platform, home: process.env.HOME || homedir() })

function keychain(): Promise<Buffer | undefined> {
  return new Promise((resolve) =>
    execFile('security', ['find-generic-password', '-s', 'Claude Code-credentials', '-w'], { timeout: 10_000 }, (err, stdout) =>
      resolve(err || !stdout.trim() ? undefined : Buffer.from(stdout.trim())),
    ),
  )
}

export async function readHostLogin(h: HostEnv = systemHostEnv()): Promise<HostLogin> {
  const file = join(h.env.CLAUDE_CONFIG_DIR || join(h.home, '.claude'), '.credentials.json')
  try {
    return { where: file, bytes: await readFile(file) }
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code
    if (h.platform === 'darwin') {
      const fromKeychain = await keychain()
      if (fromKeychain) return { where: 'macOS Keychain (Claude Code-credentials)', bytes: fromKeychain }
    }
    return code === 'ENOENT' ? { where: file } : { where: file, error: `could not read ${file} (${code ?? 'error'})` }
  }
}
