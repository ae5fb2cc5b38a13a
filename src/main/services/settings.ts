/**
 * The app's settings file (settings.json in the data folder): validated with zod
 * on load, written atomically (write-file-atomic: temp file + rename, mode 600).
 * A corrupt or invalid file is set aside beside itself with a message, never a crash.
 */
import { mkdirSync, readFileSync, renameSync } from 'node:fs'
import { join } from 'node:path'
import writeFileAtomic from 'write-file-atomic'
import { z } from 'zod'

const RecentProject = z.object({
  name: z.string().max(256),
  workspace: z.string().max(4096),
  lastUsed: z.string(),
})

/** A remote engine the user added: by address, or by docker context (read afresh at each connection). */
const RemoteEngineConfig = z.object({
  name: z.string().regex(/^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/).max(64),
  host: z.string().max(1024).optional(),
  context: z.string().max(256).optional(),
})
export type RemoteEngineConfig = z.infer<typeof RemoteEngineConfig>

export const SettingsSchema = z.object({
  version: z.literal(1).default(1),
  recentProjects: z.array(RecentProject).max(50).default([]),
  /** The first-run wizard was finished or dismissed. */
  wizardDone: z.boolean().default(false),
  engines: z.array(RemoteEngineConfig).max(20).default([]),
  /** Engines whose shared login is not kept in step with the others' (on by default). */
  loginSyncOff: z.array(z.string().max(64)).max(21).default([]),
})
export type Settings = z.infer<typeof SettingsSchema>
export type RecentProject = z.infer<typeof RecentProject>

export const MAX_RECENT_PROJECTS = 8

export class SettingsStore {
  private current: Settings
  /** Set when the file on disk could not be used; shown to the user once. */
  readonly warning: string | undefined
  readonly path: string

  constructor(
    private readonly dir: string,
    private readonly now: () => Date = () => new Date(),
  ) {
    this.path = join(dir, 'settings.json')
    const loaded = this.load()
    this.current = loaded.settings
    this.warning = loaded.warning
  }

  get(): Settings {
    return this.current
  }

  private load(): { settings: Settings; warning?: string } {
    let raw: string
    try {
      raw = readFileSync(this.path, 'utf8')
    } catch {
      return { settings: SettingsSchema.parse({}) }
    }
    try {
      return { settings: SettingsSchema.parse(JSON.parse(raw)) }
    } catch {
      const aside = `${this.path}.corrupt-${this.now().toISOString().replace(/[:.]/g, '-')}`
      try {
        renameSync(this.path, aside)
      } catch {
        /* unreadable and immovable: defaults still apply, and the message says where it is */
      }
      return {
        settings: SettingsSchema.parse({}),
        warning: `Your settings file could not be read and was set aside as ${aside}; Clawker started with defaults.`,
      }
    }
  }

  async update(change: (s: Settings) => Settings): Promise<Settings> {
    const next = SettingsSchema.parse(change(structuredClone(this.current)))
    mkdirSync(this.dir, { recursive: true, mode: 0o700 })
    await writeFileAtomic(this.path, `${JSON.stringify(next, null, 2)}\n`, { mode: 0o600 })
    this.current = next
    return next
  }

  /** Moves a project to the top of the recent list (most recent first, at most MAX_RECENT_PROJECTS). */
  rememberProject(name: string, workspace: string): Promise<Settings> {
    return this.update((s) => ({
      ...s,
      recentProjects: [
        { name, workspace, lastUsed: this.now().toISOString() },
        ...s.recentProjects.filter((p) => p.name !== name),
      ].slice(0, MAX_RECENT_PROJECTS),
    }))
  }
}
