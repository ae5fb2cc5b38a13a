/**
 * Several engines at once, with real parts: the run's engine as "this computer"
 * and a TLS dockerd of the harness's own as a remote engine reached through a
 * docker context. Agents of both show in one list; a login refreshed on one
 * engine reaches the other's clawker-globals within 10 s (with a backup of what
 * it held), not where sync is off; a remote engine going away leaves the local
 * one untouched.
 */
import { execFileSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createApp, type ClawkerApp } from '../../src/main/core/app'
import { dispatch, type Caller } from '../../src/main/core/dispatch'
import { dockerFromHost, systemDiscoveryEnv } from '../../src/main/docker/connection'
import { serviceContext, type ServiceContext } from '../../src/main/services/context'
import { withVolumes } from '../../src/main/services/volumeArchive'
import { withVolumeLock } from '../../src/main/services/volumeLock'
import { syncLogins } from '../../src/main/services/loginSync'
import { ensureGlobalVolume } from '../../src/main/services/globalVolume'
import type { AgentSummary, EngineInfo } from '../../src/shared/contract'
import { canStartPrivateDockerd } from '../harness/engine'
import { ensureBaseImage } from '../harness/images'
import { startTlsDockerd, type TlsEngine } from '../harness/remoteEngines'
import { fileStates } from '../harness/containers'
import { baseImage, testDocker, testPrefix } from '../harness/context'
import { inject } from 'vitest'

const caller: Caller = { id: 'test', emit: () => {}, onClose: () => {} }
const login = (n: number, exp: number) =>
  Buffer.from(`{"claudeAiOauth":{"accessToken":"sk-ant-oat01-FAKE-multi-${n}","refreshToken":"sk-ant-ort01-FAKE-multi-${n}","expiresAt":${exp},"scopes":["user:inference"]},"mcpOAuth":{"x":{"accessToken":"FAKE"}}}`)

async function until(check: () => Promise<boolean>, ms: number): Promise<number> {
  const t0 = Date.now()
  while (!(await check())) {
    if (Date.now() - t0 > ms) throw new Error(`not within ${ms} ms`)
    await new Promise((r) => setTimeout(r, 200))
  }
  return Date.now() - t0
}

describe.skipIf(!canStartPrivateDockerd())('several engines at once', () => {
  const prefix = `${testPrefix()}me`
  let remote: TlsEngine
  let app: ClawkerApp
  let remoteCtx: ServiceContext
  let localCtx: ServiceContext
  const invoke = async <T,>(channel: string, request: unknown): Promise<T> => {
    const r = await dispatch(app.handlers, channel, request, caller)
    if (!r.ok) throw Object.assign(new Error(r.error.message), r.error)
    return r.value as T
  }

  /** The app's next 'credentials.changed' (a pass copied a login), or an error after `ms`; `cancel` stops waiting. */
  const nextCopy = (ms: number) => {
    let stop = () => {}
    const done = new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        off()
        reject(new Error(`no login copied within ${ms} ms more`))
      }, Math.max(0, ms))
      const off = app.hub.subscribe((event) => {
        if (event !== 'credentials.changed') return
        stop()
        resolve()
      })
      stop = () => {
        clearTimeout(timer)
        off()
      }
    })
    return { done, cancel: () => stop() }
  }

  beforeAll(async () => {
    remote = await startTlsDockerd()
    // The remote engine as a docker context with its TLS material, as `docker context create` stores it.
    const home = mkdtempSync(join(tmpdir(), 'clk-me-home-'))
    const id = createHash('sha256').update('buildbox').digest('hex')
    const dockerDir = join(home, '.docker')
    mkdirSync(join(dockerDir, 'contexts', 'meta', id), { recursive: true })
    mkdirSync(join(dockerDir, 'contexts', 'tls', id, 'docker'), { recursive: true })
    writeFileSync(join(dockerDir, 'contexts', 'meta', id, 'meta.json'), JSON.stringify({ Name: 'buildbox', Metadata: {}, Endpoints: { docker: { Host: remote.host } } }))
    for (const f of ['ca.pem', 'cert.pem', 'key.pem']) writeFileSync(join(dockerDir, 'contexts', 'tls', id, 'docker', f), readFileSync(join(remote.clientDir, f)))
    const dataDir = mkdtempSync(join(tmpdir(), 'clk-me-data-'))
    writeFileSync(join(dataDir, 'settings.json'), JSON.stringify({ version: 1, wizardDone: true, engines: [{ name: 'buildbox', context: 'buildbox' }] }))
    const remoteDocker = dockerFromHost(remote.unixHost)
    await ensureBaseImage(remoteDocker)
    remoteCtx = serviceContext(remoteDocker, { prefix, engine: 'buildbox' })
    localCtx = serviceContext(testDocker(), { prefix })
    app = createApp({
      prefix,
      dataDir,
      networkMode: 'none',
      discovery: { ...systemDiscoveryEnv(), env: { DOCKER_HOST: inject('dockerHost') }, home },
    })
    await app.start()
    await until(async () => app.engines.connected().length === 2, 30_000)
  }, 180_000)

  afterAll(async () => {
    await app?.stop()
    const { removeByPrefix } = await import('../harness/cleanup')
    await removeByPrefix(testDocker(), prefix)
    await remote?.stop()
  })

  it('lists both engines, and agents of both in one list, each saying its engine', async () => {
    const engines = await invoke<EngineInfo[]>('engines.list', {})
    expect(engines.map((e) => [e.id, e.remote, e.status.state, e.syncLogin])).toEqual([
      ['local', false, 'connected', true],
      ['buildbox', true, 'connected', true],
    ])
    const folder = mkdtempSync(join(tmpdir(), 'clk-me-ws-'))
    writeFileSync(join(folder, 'README'), 'hello')
    const common = { project: 'both', workspace: folder, image: baseImage(), command: ['sleep', '60'] }
    await invoke('agents.create', { ...common, agent: 'here', workspaceMode: 'bind' })
    // A folder of this computer cannot be bind-mounted over there: snapshot, or a clear refusal.
    await expect(invoke('agents.create', { ...common, engine: 'buildbox', agent: 'there', workspaceMode: 'bind' })).rejects.toMatchObject({ field: 'workspaceMode' })
    await invoke('agents.create', { ...common, engine: 'buildbox', agent: 'there', workspaceMode: 'snapshot' })
    const agents = await invoke<AgentSummary[]>('agents.list', {})
    expect(agents.filter((a) => a.project === 'both').map((a) => [a.engine, a.agent, a.state])).toEqual([
      ['local', 'here', 'running'],
      ['buildbox', 'there', 'running'],
    ])
    await invoke('agents.stop', { engine: 'buildbox', project: 'both', agent: 'there', timeoutSeconds: 0 })
    const info = await remoteCtx.docker.getContainer(`${prefix}.both.there`).inspect()
    expect(info.State.Running).toBe(false)
  })

  it('carries a login refreshed on one engine to the other within 10 s, byte for byte, keeping what it held', async () => {
    const write = async (ctx: ServiceContext, bytes: Buffer) => {
      const v = await ensureGlobalVolume(ctx)
      await withVolumes(ctx, [{ name: v.name }], async (h) => {
        await h.ownRoot(0, { mode: 0o700, uid: 1001, gid: 1001 })
        await h.writeFile(0, '.credentials.json', bytes, { mode: 0o600, uid: 1001, gid: 1001 })
      })
    }
    const read = async (ctx: ServiceContext) => {
      const v = await ensureGlobalVolume(ctx)
      return withVolumes(ctx, [{ name: v.name, readOnly: true }], async (h) => [await h.read(0, '.credentials.json')])
    }
    const old = login(1, 1893456000000)
    const fresh = login(2, 1893459600000)
    await write(localCtx, old)
    await write(remoteCtx, fresh)
    // Read again on each copy the app says it made (not on a timer: a loaded engine has enough to do).
    const t0 = Date.now()
    for (;;) {
      const copied = nextCopy(10_000 - (Date.now() - t0))
      try {
        const [entry] = await read(localCtx)
        if (entry!.type === 'file' && entry!.content.equals(fresh)) break
        await copied.done
      } finally {
        copied.cancel()
      }
    }
    expect(Date.now() - t0).toBeLessThan(10_000)
    // What the local engine held is kept beside it, byte for byte.
    const files = await fileStates(testDocker(), baseImage(), [{ Type: 'volume', Source: `${prefix}-globals`, Target: '/g' }], ['/g/.credentials.json*'])
    expect(Object.entries(files).filter(([k]) => /\.bak-\d{8}T\d{6}Z$/.test(k)).map(([, v]) => [v.mode, v.value])).toEqual([['600', old.toString()]])
    const logins = await invoke<Array<{ engine: string; login: { expiresAt: string | null } | null }>>('credentials.engines', {})
    expect(logins.map((l) => [l.engine, l.login?.expiresAt])).toEqual([
      ['local', new Date(1893459600000).toISOString()],
      ['buildbox', new Date(1893459600000).toISOString()],
    ])
    expect(JSON.stringify(logins)).not.toContain('FAKE')
  })

  it('leaves an engine whose sync is off as it is', async () => {
    await invoke('engines.setLoginSync', { id: 'local', syncLogin: false })
    try {
      const v = await ensureGlobalVolume(remoteCtx)
      const newest = login(3, 1893463200000)
      await withVolumes(remoteCtx, [{ name: v.name }], (h) => h.writeFile(0, '.credentials.json', newest, { mode: 0o600, uid: 1001, gid: 1001 }))
      expect(await app.syncLoginsNow()).toEqual([])
      const local = await withVolumes(localCtx, [{ name: `${prefix}-globals`, readOnly: true }], (h) => h.read(0, '.credentials.json'))
      expect(local.type === 'file' && local.content.equals(login(2, 1893459600000))).toBe(true)
    } finally {
      await invoke('engines.setLoginSync', { id: 'local', syncLogin: true })
    }
  })

  it('a pass that was waiting when sync was turned off leaves that engine as it is', async () => {
    const before = await withVolumes(localCtx, [{ name: `${prefix}-globals`, readOnly: true }], (h) => h.read(0, '.credentials.json'))
    // The pass is asked for with sync on, and waits for the volume lock (other reads hold it so, for a while).
    let release!: () => void
    const held = withVolumeLock(() => new Promise<void>((r) => (release = r)))
    const pass = app.syncLoginsNow()
    await invoke('engines.setLoginSync', { id: 'local', syncLogin: false })
    try {
      const v = await ensureGlobalVolume(remoteCtx)
      await withVolumes(remoteCtx, [{ name: v.name }], (h) => h.writeFile(0, '.credentials.json', login(4, 1893466800000), { mode: 0o600, uid: 1001, gid: 1001 }))
      release()
      await held
      expect(await pass).toEqual([])
      const local = await withVolumes(localCtx, [{ name: `${prefix}-globals`, readOnly: true }], (h) => h.read(0, '.credentials.json'))
      expect(before.type === 'file' && local.type === 'file' && local.content.equals(before.content)).toBe(true)
    } finally {
      release()
      await invoke('engines.setLoginSync', { id: 'local', syncLogin: true })
    }
  })

  it("a login an agent writes while a pass reads is carried in that pass, not the next one's", async () => {
    // The app's own passes are kept out of it: this pass alone is watched.
    await invoke('engines.setLoginSync', { id: 'local', syncLogin: false })
    try {
      const v = await ensureGlobalVolume(remoteCtx)
      await withVolumes(remoteCtx, [{ name: v.name }], (h) => h.writeFile(0, '.credentials.json', login(5, 1893474000000), { mode: 0o600, uid: 1001, gid: 1001 }))
      const written = login(6, 1893470400000)
      let asked = 0
      const engines = () => {
        // Asked again before the copy: an agent on this computer saves its own refresh just then.
        // Written with the docker CLI because this must be done before the pass goes on.
        if (++asked === 2) {
          execFileSync('docker', ['run', '--rm', '--network', 'none', '-u', '1001:1001', '-v', `${prefix}-globals:/g`, '--entrypoint', '/bin/sh', baseImage(), '-c', `printf '%s' '${written.toString()}' > /g/.credentials.json`], {
            env: { ...process.env, DOCKER_HOST: inject('dockerHost') },
            stdio: 'ignore',
          })
        }
        return [
          { engine: 'local', name: 'This computer', syncLogin: true, ctx: localCtx },
          { engine: 'buildbox', name: 'buildbox', syncLogin: true, ctx: remoteCtx },
        ]
      }
      const copies = await syncLogins(engines)
      expect(copies.map((c) => [c.from, c.to])).toEqual([['buildbox', 'local']])
      const files = await fileStates(testDocker(), baseImage(), [{ Type: 'volume', Source: `${prefix}-globals`, Target: '/g' }], ['/g/.credentials.json*'])
      expect(files['/g/.credentials.json']?.value).toBe(login(5, 1893474000000).toString())
      // What the agent wrote is what was kept aside.
      expect(files[`/g/${copies[0]!.backup}`]?.value).toBe(written.toString())
    } finally {
      await invoke('engines.setLoginSync', { id: 'local', syncLogin: true })
    }
  })

  it('a remote engine going away shows as down with a reason, and the local one goes on', async () => {
    await remote.stop()
    await until(async () => app.engines.list().find((e) => e.id === 'buildbox')!.status.state === 'unavailable', 15_000)
    const engines = await invoke<EngineInfo[]>('engines.list', {})
    const gone = engines.find((e) => e.id === 'buildbox')!
    expect(gone.status).toMatchObject({ state: 'unavailable', tried: [expect.objectContaining({ error: expect.stringMatching(/refused|reset|hang up|not answer|ECONN|timeout/i) })] })
    expect(engines.find((e) => e.id === 'local')!.status.state).toBe('connected')
    const agents = await invoke<AgentSummary[]>('agents.list', {})
    expect(agents.some((a) => a.project === 'both' && a.agent === 'here' && a.engine === 'local')).toBe(true)
    expect(agents.some((a) => a.engine === 'buildbox')).toBe(false)
    await expect(invoke('agents.start', { engine: 'buildbox', project: 'both', agent: 'there' })).rejects.toMatchObject({ code: 'engine-unavailable', field: 'engine' })
  })
})
