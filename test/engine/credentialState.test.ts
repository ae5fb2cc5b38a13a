/**
 * The credential state read from real volumes through never-started helper
 * containers, for every link state, without ever creating a volume, mounting a
 * plain one, or carrying a token.
 */
import { mkdtempSync, writeFileSync, chmodSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import type Docker from 'dockerode'
import { serviceContext } from '../../src/main/services/context'
import { readCredentialState } from '../../src/main/services/credentialState'
import { HELPER_CALLS_AT_ONCE, MAX_VOLUMES_PER_HELPER, withVolumes } from '../../src/main/services/volumeArchive'
import { agentVolumeLabels, globalVolumeLabels } from '../../src/main/docker/labels'
import { fileStates, runContainer } from '../harness/containers'
import { baseImage, testDocker, testPrefix } from '../harness/context'

const docker = testDocker()
const SECRET = 'sk-ant-oat01-FAKE-SECRET-zzz'
const login = (exp: number) =>
  Buffer.from(`{"claudeAiOauth":{"accessToken":"${SECRET}","refreshToken":"sk-ant-ort01-FAKE-r","expiresAt":${exp},"scopes":["user:inference"],"subscriptionType":"pro"}}`)
const LINK = '/home/claude/.clawker-globals/.credentials.json'
const claude = { uid: 1001, gid: 1001 }

let n = 0
/** A context with a prefix of its own, so each test sees only its volumes. */
function freshContext() {
  return serviceContext(docker, { prefix: `${testPrefix()}c${n++}` })
}

async function configVolume(prefix: string, project: string, agent: string): Promise<string> {
  const name = `${prefix}.${project}.${agent}-config`
  await docker.createVolume({ Name: name, Labels: agentVolumeLabels({ project, agent }, 'config') })
  return name
}

/** Names of the volumes the engine mounted between two moments (its `mount` events), for one prefix, each once. */
async function volumesMounted(since: number, until: number, prefix: string): Promise<string[]> {
  const stream = await docker.getEvents({ since: since / 1000, until: until / 1000 + 1, filters: { type: ['volume'], event: ['mount'] } })
  let text = ''
  for await (const chunk of stream as AsyncIterable<Buffer>) text += chunk.toString()
  return text
    .split('\n')
    .filter(Boolean)
    .map((line) => (JSON.parse(line) as { Actor: { ID: string } }).Actor.ID)
    .filter((name, i, all) => name.startsWith(prefix) && all.indexOf(name) === i)
}

/**
 * Counts containers the code creates, the most of them alive at once, and the most archive
 * calls (stats and reads) in flight at once, by wrapping the client.
 */
function countingCreates(d: Docker): { docker: Docker; count: () => number; mostAlive: () => number; mostReadsAtOnce: () => number } {
  let created = 0
  let alive = 0
  let mostAlive = 0
  let reading = 0
  let most = 0
  const wrapped = Object.create(d) as Docker
  wrapped.createContainer = (async (opts: Docker.ContainerCreateOptions) => {
    created++
    const container = await d.createContainer(opts)
    mostAlive = Math.max(mostAlive, ++alive)
    // A read is a stat and, for a regular file, an archive.
    for (const call of ['getArchive', 'infoArchive'] as const) {
      const original = container[call].bind(container) as (o: { path: string }) => Promise<unknown>
      ;(container as unknown as Record<string, unknown>)[call] = async (o: { path: string }) => {
        most = Math.max(most, ++reading)
        try {
          return await original(o)
        } finally {
          reading--
        }
      }
    }
    const remove = container.remove.bind(container)
    container.remove = (async (o?: object) => {
      // Counted as gone once the engine is asked: it stops holding the volumes while it removes.
      alive--
      return remove(o)
    }) as typeof container.remove
    return container
  }) as Docker['createContainer']
  return { docker: wrapped, count: () => created, mostAlive: () => mostAlive, mostReadsAtOnce: () => most }
}

describe('volume archive', () => {
  it('writes files and links with mode and owner, as a real container sees them, and reads them back', async () => {
    const ctx = freshContext()
    const vol = await configVolume(ctx.prefix, 'p', 'w')
    await withVolumes(ctx, [{ name: vol }], async (h) => {
      await h.writeFile(0, '.credentials.json', login(1), { mode: 0o600, ...claude })
      await h.writeSymlink(0, 'link.json', LINK, claude)
      expect(await h.read(0, '.credentials.json')).toMatchObject({ type: 'file', mode: 0o600, uid: 1001, gid: 1001, content: login(1) })
      expect(await h.read(0, 'link.json')).toMatchObject({ type: 'symlink', target: LINK })
      expect(await h.read(0, 'nothing.json')).toEqual({ type: 'missing' })
    })
    const seen = await fileStates(docker, baseImage(), [{ Type: 'volume', Source: vol, Target: '/c' }], ['/c/.credentials.json', '/c/link.json'])
    expect(seen['/c/.credentials.json']).toEqual({ type: 'regular file', mode: '600', owner: '1001:1001', value: login(1).toString() })
    expect(seen['/c/link.json']).toMatchObject({ type: 'symbolic link', value: LINK })
    const helpers = await docker.listContainers({ all: true, filters: { name: [`${ctx.prefix}-helper`] } })
    expect(helpers).toEqual([])
  })

  it('holds a volume only while it is read or written: its helper goes when it has nothing more to do, before the others are done', async () => {
    const ctx = freshContext()
    const names = await Promise.all(Array.from({ length: 2 * MAX_VOLUMES_PER_HELPER }, (_, i) => configVolume(ctx.prefix, 'hold', `a${i}`)))
    const counter = countingCreates(docker)
    await withVolumes({ ...ctx, docker: counter.docker }, names.map((name) => ({ name })), async (h) => {
      // Calls one after another on a volume keep one helper.
      await h.writeFile(0, 'x.json', login(1), { mode: 0o600, ...claude })
      expect(await h.read(0, 'x.json')).toMatchObject({ type: 'file', content: login(1) })
      await h.ownRoot(0, { mode: 0o700, ...claude })
      expect(counter.count()).toBe(1)
      // Nothing more for that helper: the volume is free again (as `docker volume rm` or `clawker rm` want it)
      // while the handle is still open, and the other group is still read through a helper of its own.
      const other = h.read(MAX_VOLUMES_PER_HELPER, 'x.json')
      await expect.poll(async () => docker.getVolume(names[1]!).remove().then(() => 'removed', (e: Error) => e.message), { timeout: 5000 }).toBe('removed')
      expect(await other).toEqual({ type: 'missing' })
    })
    expect(counter.count()).toBe(2)
    expect(await docker.listContainers({ all: true, filters: { name: [`${ctx.prefix}-helper`] } })).toEqual([])
  }, 60_000)

  it('reads only the header of a file over the read limit (and of a folder), never its bytes', async () => {
    const ctx = freshContext()
    const vol = await configVolume(ctx.prefix, 'p', 'big')
    let fetched = 0
    const wrapped = Object.create(docker) as Docker
    wrapped.createContainer = (async (opts: Docker.ContainerCreateOptions) => {
      const container = await docker.createContainer(opts)
      const getArchive = container.getArchive.bind(container)
      container.getArchive = (async (o: { path: string }) => {
        const stream = await getArchive(o)
        stream.on('data', (c: Buffer) => (fetched += c.length))
        return stream
      }) as typeof container.getArchive
      return container
    }) as Docker['createContainer']
    await withVolumes(ctx, [{ name: vol }], async (h) => {
      await h.writeFile(0, 'big.json', Buffer.alloc(48 << 20, 0x20), { mode: 0o600, ...claude })
    })
    await withVolumes({ ...ctx, docker: wrapped }, [{ name: vol, readOnly: true }], async (h) => {
      expect(await h.read(0, 'big.json')).toMatchObject({ type: 'large', size: 48 << 20, mode: 0o600, uid: 1001 })
      // The volume's root: a folder holding that file.
      expect(await h.read(0, '')).toMatchObject({ type: 'directory' })
    })
    // A few socket buffers at most, not the 96 MiB the two archives hold.
    expect(fetched).toBeLessThan(4 << 20)
    expect(await docker.listContainers({ all: true, filters: { name: [`${ctx.prefix}-helper`] } })).toEqual([])
  }, 60_000)
})

describe('credential state', () => {
  it('reports a missing global volume, and the read does not create it', async () => {
    const ctx = freshContext()
    const state = await readCredentialState(ctx)
    expect(state).toEqual({ globalVolume: { exists: false, labelled: false, name: `${ctx.prefix}-globals` }, global: null, agents: [] })
    await configVolume(ctx.prefix, 'p', 'a')
    const again = await readCredentialState(ctx)
    expect(again.agents).toEqual([{ volume: `${ctx.prefix}.p.a-config`, project: 'p', agent: 'a', linkState: 'none' }])
    const { Volumes } = await docker.listVolumes({ filters: { name: [`${ctx.prefix}-globals`] } })
    expect(Volumes ?? []).toEqual([])
  })

  it('shows every link state, metadata only, through exactly one helper container', async () => {
    const ctx = freshContext()
    const globals = `${ctx.prefix}-globals`
    await docker.createVolume({ Name: globals, Labels: globalVolumeLabels() })
    const names = await Promise.all(['linked', 'diverged', 'none', 'other'].map((a) => configVolume(ctx.prefix, 'proj', a)))
    await withVolumes(ctx, [...names.map((name) => ({ name })), { name: globals }], async (h) => {
      await h.writeFile(4, '.credentials.json', login(1893456000000), { mode: 0o644, ...claude })
      await h.writeSymlink(0, '.credentials.json', LINK, claude)
      await h.writeFile(1, '.credentials.json', login(1000), { mode: 0o600, ...claude })
      await h.writeSymlink(3, '.credentials.json', '/tmp/elsewhere', claude)
    })
    const counter = countingCreates(docker)
    const state = await readCredentialState({ ...ctx, docker: counter.docker })
    expect(counter.count()).toBe(1)
    expect(state.globalVolume).toEqual({ exists: true, labelled: true, name: globals })
    expect(state.global).toEqual({
      kind: 'file',
      mode: '644',
      uid: 1001,
      gid: 1001,
      modeOk: false,
      expiresAt: '2030-01-01T00:00:00.000Z',
      subscriptionType: 'pro',
      scopes: ['user:inference'],
      valid: true,
      login: 'usable',
    })
    expect(Object.fromEntries(state.agents.map((a) => [a.agent, a.linkState]))).toEqual({
      diverged: 'diverged',
      linked: 'linked',
      none: 'none',
      other: 'other-link',
    })
    const diverged = state.agents.find((a) => a.agent === 'diverged')!
    expect(diverged.local).toMatchObject({ mode: '600', modeOk: true, expiresAt: '1970-01-01T00:00:01.000Z' })
    expect(JSON.stringify(state)).not.toContain(SECRET)
    expect(await docker.listContainers({ all: true, filters: { name: [`${ctx.prefix}-helper`] } })).toEqual([])
  })

  it('fetches an archive only for a regular file: a link, a folder or nothing there is told by the stat', async () => {
    const ctx = freshContext()
    const globals = `${ctx.prefix}-globals`
    await docker.createVolume({ Name: globals, Labels: globalVolumeLabels() })
    const [linked, folder, none, own] = (await Promise.all(['linked', 'folder', 'none', 'own'].map((a) => configVolume(ctx.prefix, 'st', a)))) as [string, string, string, string]
    await withVolumes(ctx, [{ name: linked }, { name: own }, { name: globals }], async (h) => {
      await h.writeSymlink(0, '.credentials.json', LINK, claude)
      await h.writeFile(1, '.credentials.json', login(1000), { mode: 0o600, ...claude })
      await h.writeFile(2, '.credentials.json', login(1893456000000), { mode: 0o600, ...claude })
    })
    await runContainer(docker, { image: baseImage(), cmd: ['mkdir', '/c/.credentials.json'], mounts: [{ Type: 'volume', Source: folder, Target: '/c' }] })
    const fetched: string[] = []
    const wrapped = Object.create(docker) as Docker
    wrapped.createContainer = (async (opts: Docker.ContainerCreateOptions) => {
      const container = await docker.createContainer(opts)
      const getArchive = container.getArchive.bind(container)
      container.getArchive = ((o: { path: string }) => {
        fetched.push(o.path)
        return getArchive(o)
      }) as typeof container.getArchive
      return container
    }) as Docker['createContainer']
    const state = await readCredentialState({ ...ctx, docker: wrapped })
    expect(Object.fromEntries(state.agents.map((a) => [a.agent, a.linkState]))).toEqual({ folder: 'other-link', linked: 'linked', none: 'none', own: 'diverged' })
    // Two regular files (the agent's own login and the shared one): two archives, none for the rest.
    expect(fetched.filter((p) => p.endsWith('/.credentials.json'))).toHaveLength(2)
    expect(fetched.some((p) => p.includes(linked) || p.includes(folder) || p.includes(none))).toBe(false)
  }, 60_000)

  it('shows a dangling link and a login waiting to migrate when no shared login exists yet', async () => {
    const ctx = freshContext()
    const globals = `${ctx.prefix}-globals`
    await docker.createVolume({ Name: globals, Labels: globalVolumeLabels() })
    const [fresh, waiting] = await Promise.all([configVolume(ctx.prefix, '', 'fresh'), configVolume(ctx.prefix, '', 'waiting')])
    await withVolumes(ctx, [{ name: fresh }, { name: waiting }], async (h) => {
      await h.writeSymlink(0, '.credentials.json', LINK, claude)
      await h.writeFile(1, '.credentials.json', login(1893456000000), { mode: 0o600, ...claude })
    })
    const state = await readCredentialState(ctx)
    expect(state.global).toBeNull()
    expect(state.agents.map((a) => [a.project, a.agent, a.linkState])).toEqual([
      ['', 'fresh', 'dangling'],
      ['', 'waiting', 'waiting-to-migrate'],
    ])
  })

  it('leaves unread a volume whose state is given from before, and shows that state', async () => {
    const ctx = freshContext()
    const globals = `${ctx.prefix}-globals`
    await docker.createVolume({ Name: globals, Labels: globalVolumeLabels() })
    // A shared login: a link given from before is shown as linked (it would be dangling without one).
    await withVolumes(ctx, [{ name: globals }], (h) => h.writeFile(0, '.credentials.json', login(1893456000000), { mode: 0o600, ...claude }))
    const [going, staying] = await Promise.all([configVolume(ctx.prefix, 'p', 'going'), configVolume(ctx.prefix, 'p', 'staying')])
    const touched: string[] = []
    const wrapped = Object.create(docker) as Docker
    wrapped.createContainer = (async (opts: Docker.ContainerCreateOptions) => {
      touched.push(...(opts.HostConfig?.Mounts ?? []).map((m) => m.Source ?? ''))
      const container = await docker.createContainer(opts)
      for (const call of ['getArchive', 'infoArchive'] as const) {
        const original = container[call].bind(container) as (o: { path: string }) => Promise<unknown>
        ;(container as unknown as Record<string, unknown>)[call] = (o: { path: string }) => {
          touched.push(o.path)
          return original(o)
        }
      }
      return container
    }) as Docker['createContainer']
    const before = { volume: going, project: 'p', agent: 'going', linkState: 'linked' as const }
    const state = await readCredentialState({ ...ctx, docker: wrapped }, (v) => (v === going ? before : undefined))
    expect(state.agents).toEqual([before, { volume: staying, project: 'p', agent: 'staying', linkState: 'none' }])
    expect(touched.some((t) => t.includes(staying))).toBe(true)
    expect(touched.some((t) => t.includes(going))).toBe(false)
  })

  it('reads 100 agent volumes with a few helper containers, mounting none of them, a few reads at a time', async () => {
    const ctx = freshContext()
    await docker.createVolume({ Name: `${ctx.prefix}-globals`, Labels: globalVolumeLabels() })
    await Promise.all(Array.from({ length: 100 }, (_, i) => configVolume(ctx.prefix, 'many', `a${String(i).padStart(3, '0')}`)))
    const counter = countingCreates(docker)
    const since = Date.now()
    const state = await readCredentialState({ ...ctx, docker: counter.docker })
    const until = Date.now()
    expect(state.agents).toHaveLength(100)
    expect(state.agents.every((a) => a.linkState === 'none')).toBe(true)
    expect(counter.count()).toBeLessThanOrEqual(HELPER_CALLS_AT_ONCE)
    // Every read at once only makes the engine contend (issue 17).
    expect(counter.mostReadsAtOnce()).toBeLessThanOrEqual(HELPER_CALLS_AT_ONCE)
    // Through the engine's volumes folder: no volume was mounted, so none was ever in use for `docker volume rm`
    // (a helper mounting ten volumes has the engine mount all ten for each of its reads).
    expect(await volumesMounted(since, until, ctx.prefix)).toEqual([])
    expect(await docker.listContainers({ all: true, filters: { name: [`${ctx.prefix}-helper`] } })).toEqual([])
  }, 60_000)

  it('reads a volume with driver options (its files are there only while it is mounted) by mounting it', async () => {
    const ctx = freshContext()
    await docker.createVolume({ Name: `${ctx.prefix}-globals`, Labels: globalVolumeLabels() })
    const device = mkdtempSync(join(tmpdir(), 'clawker-device-'))
    writeFileSync(join(device, '.credentials.json'), login(1893456000000))
    chmodSync(join(device, '.credentials.json'), 0o600)
    const name = `${ctx.prefix}.dev.bound-config`
    await docker.createVolume({
      Name: name,
      Labels: agentVolumeLabels({ project: 'dev', agent: 'bound' }, 'config'),
      DriverOpts: { type: 'none', o: 'bind', device },
    })
    await configVolume(ctx.prefix, 'dev', 'plain')
    const since = Date.now()
    const state = await readCredentialState(ctx)
    const until = Date.now()
    expect(state.agents.map((a) => [a.agent, a.linkState, a.local?.mode])).toEqual([
      ['bound', 'waiting-to-migrate', '600'],
      ['plain', 'none', undefined],
    ])
    expect(await volumesMounted(since, until, ctx.prefix)).toEqual([name])
  }, 60_000)
})

describe('the volumes folder, when the engine does not show it', () => {
  /** A client whose helpers bind `swap(source)` instead of the folder asked for (or whose create fails). */
  function bindingElsewhere(swap: (source: string) => string | Error): Docker {
    const wrapped = Object.create(docker) as Docker
    wrapped.createContainer = ((opts: Docker.ContainerCreateOptions) => {
      const mounts = opts.HostConfig?.Mounts ?? []
      const bind = mounts.find((m) => m.Type === 'bind')
      if (!bind) return docker.createContainer(opts)
      const source = swap(bind.Source!)
      if (source instanceof Error) return Promise.reject(source)
      return docker.createContainer({ ...opts, HostConfig: { ...opts.HostConfig, Mounts: mounts.map((m) => (m === bind ? { ...m, Source: source } : m)) } })
    }) as Docker['createContainer']
    return wrapped
  }

  async function withLocalLogin() {
    const ctx = freshContext()
    await docker.createVolume({ Name: `${ctx.prefix}-globals`, Labels: globalVolumeLabels() })
    const vol = await configVolume(ctx.prefix, 'p', 'local')
    await withVolumes(ctx, [{ name: vol }], (h) => h.writeFile(0, '.credentials.json', login(1893456000000), { mode: 0o600, ...claude }))
    return ctx
  }

  it('another folder under that path (as a desktop engine binds from the host): the probe sees it and the volumes are mounted', async () => {
    const ctx = await withLocalLogin()
    const empty = mkdtempSync(join(tmpdir(), 'clawker-elsewhere-'))
    const state = await readCredentialState({ ...ctx, docker: bindingElsewhere(() => empty) })
    expect(state.agents.map((a) => a.linkState)).toEqual(['waiting-to-migrate'])
    expect(await docker.listContainers({ all: true, filters: { name: [`${ctx.prefix}-helper`] } })).toEqual([])
  }, 60_000)

  it('a bind the engine refuses: the volumes are mounted', async () => {
    const ctx = await withLocalLogin()
    const state = await readCredentialState({ ...ctx, docker: bindingElsewhere(() => new Error('Mounts denied: the path is not shared from the host')) })
    expect(state.agents.map((a) => a.linkState)).toEqual(['waiting-to-migrate'])
  }, 60_000)
})

describe('volumes mounted in helpers (what the wizard reads and writes through)', () => {
  it('reads 101 volumes through helpers of MAX_VOLUMES_PER_HELPER, read one after another, a few reads at a time', async () => {
    const ctx = freshContext()
    const names = await Promise.all(Array.from({ length: 101 }, (_, i) => configVolume(ctx.prefix, 'many', `a${String(i).padStart(3, '0')}`)))
    const counter = countingCreates(docker)
    const entries = await withVolumes({ ...ctx, docker: counter.docker }, names.map((name) => ({ name, readOnly: true })), (h) =>
      Promise.all(names.map((_, i) => h.read(i, '.credentials.json'))),
    )
    expect(entries.every((e) => e.type === 'missing')).toBe(true)
    expect(counter.count()).toBe(Math.ceil(101 / MAX_VOLUMES_PER_HELPER))
    // Helpers are read to the end one group after another, not all a little at a time: few hold volumes at once.
    expect(counter.mostAlive()).toBeLessThanOrEqual(2 * HELPER_CALLS_AT_ONCE)
    expect(counter.mostReadsAtOnce()).toBeLessThanOrEqual(HELPER_CALLS_AT_ONCE)
    expect(await docker.listContainers({ all: true, filters: { name: [`${ctx.prefix}-helper`] } })).toEqual([])
  }, 60_000)
})
