/**
 * Reading and writing files in many volumes through a few helper containers,
 * created and never started: Docker's archive API works on such a container,
 * volumes included, and tar headers carry type, mode and owner. The helper
 * image is an empty rootfs made locally (nothing is pulled), tagged `:scratch`
 * so it can never be mistaken for a project image (`<prefix>-<project>:latest`).
 */
import { randomBytes } from 'node:crypto'
import { Readable } from 'node:stream'
import { extract } from 'tar-stream'
import type Docker from 'dockerode'
import { isNotFound, toClawkerError } from '../docker/errors'
import { engineKey } from '../docker/connection'
import { HELPER } from '../docker/layout'
import { tarBuffer } from '../docker/tarball'
import type { ServiceContext } from './context'
import { MAX_CREDENTIAL_BYTES } from './credentialMetadata'
import { limiter } from '../limiter'

/** What is at a path inside a volume. */
export type VolumeEntry =
  | { type: 'missing' }
  | { type: 'file'; mode: number; uid: number; gid: number; size: number; content: Buffer }
  /** A file over the read limit: only its header was read, so nothing may judge, back up or replace it. */
  | { type: 'large'; mode: number; uid: number; gid: number; size: number }
  /** Links, folders and the rest come from the engine's stat, which gives no owner. */
  | { type: 'symlink'; target: string }
  | { type: 'directory'; mode: number }
  | { type: 'other'; mode: number }

/** Files larger than this are reported by their header only: credentials are a few kB. */
const MAX_READ_BYTES = MAX_CREDENTIAL_BYTES

export interface VolumeHandle {
  /** Reads one path (relative to the volume's root) of volume `index`, without following a symlink. */
  read(index: number, path: string): Promise<VolumeEntry>
  /** Writes a file (replacing what is there) with the given mode and owner. */
  writeFile(index: number, path: string, content: Buffer, opts: { mode: number; uid: number; gid: number }): Promise<void>
  /** Writes a symlink (replacing what is there). */
  writeSymlink(index: number, path: string, target: string, opts: { uid: number; gid: number }): Promise<void>
  /**
   * Gives the volume's root folder an owner and mode. A volume first written through
   * this helper (whose image has no such folder) would otherwise stay root's, and
   * `claude` could not write in it when an agent later mounts it.
   */
  ownRoot(index: number, opts: { mode: number; uid: number; gid: number }): Promise<void>
}

let helperReady = new Map<string, Promise<void>>()

/** Imports the helper image once per engine and prefix; later calls reuse it. */
export function ensureHelperImage(ctx: ServiceContext): Promise<void> {
  const key = `${engineKey(ctx.docker)}|${ctx.prefix}`
  let ready = helperReady.get(key)
  if (!ready) {
    ready = importHelperImage(ctx).catch((e: unknown) => {
      helperReady.delete(key)
      throw e
    })
    helperReady.set(key, ready)
  }
  return ready
}

/** Forgets what was imported (the engine may have been reset, e.g. in tests). */
export function forgetHelperImages(): void {
  helperReady = new Map()
}

/** Helpers older than this were left by an app that was killed mid-read (never a live one). */
const STALE_HELPER_SECONDS = 300

/** Removes helper containers an earlier run could not remove (it was killed while reading). */
async function removeStaleHelpers(ctx: ServiceContext): Promise<void> {
  const helpers = await ctx.docker.listContainers({ all: true, filters: HELPER.filters(ctx.prefix) })
  const cutoff = ctx.now().getTime() / 1000 - STALE_HELPER_SECONDS
  await Promise.all(
    helpers.filter((c) => c.Created < cutoff).map((c) => ctx.docker.getContainer(c.Id).remove({ force: true }).catch(() => {})),
  )
}

async function importHelperImage(ctx: ServiceContext): Promise<void> {
  await removeStaleHelpers(ctx).catch(() => {
    /* tidying up is best effort */
  })
  const name = HELPER.image(ctx.prefix)
  try {
    await ctx.docker.getImage(name).inspect()
    return
  } catch (e) {
    if (!isNotFound(e)) throw toClawkerError(e, 'looking for the helper image')
  }
  const [repo, tag] = name.split(':') as [string, string]
  const rootfs = await tarBuffer([{ name: HELPER.mountRoot.slice(1), type: 'directory', mode: 0o755 }])
  const stream = await ctx.docker.importImage(Readable.from([rootfs]) as unknown as string, {
    repo,
    tag,
    changes: Object.entries(HELPER.labels).map(([k, v]) => `LABEL ${k}=${v}`),
  } as object)
  await new Promise<void>((resolve, reject) =>
    ctx.docker.modem.followProgress(stream, (err: Error | null, out: Array<{ error?: string }>) => {
      const failed = err?.message ?? out.find((o) => o.error)?.error
      if (failed) reject(toClawkerError(new Error(failed), 'making the helper image'))
      else resolve()
    }),
  )
}

export function parseSingleEntry(stream: NodeJS.ReadableStream): Promise<VolumeEntry> {
  return new Promise((resolve, reject) => {
    const ex = extract()
    let result: VolumeEntry | undefined
    ex.on('entry', (header, body, next) => {
      const owner = { mode: (header.mode ?? 0) & 0o7777, uid: header.uid ?? 0, gid: header.gid ?? 0 }
      if (result) {
        body.resume()
        body.on('end', next)
        return
      }
      if (header.type === 'file' && (header.size ?? 0) <= MAX_READ_BYTES) {
        const chunks: Buffer[] = []
        body.on('data', (c: unknown) => chunks.push(c as Buffer))
        body.on('end', () => {
          result = { type: 'file', ...owner, size: header.size ?? 0, content: Buffer.concat(chunks) }
          next()
        })
        return
      }
      if (header.type === 'symlink') result = { type: 'symlink', target: header.linkname ?? '' }
      else if (header.type === 'directory') result = { type: 'directory', mode: owner.mode }
      else if (header.type === 'file') result = { type: 'large', ...owner, size: header.size ?? 0 }
      else result = { type: 'other', mode: owner.mode }
      if (result.type === 'large' || result.type === 'directory') {
        // The header says all there is to know: the file's bytes (or the folder's whole tree) are never fetched.
        resolve(result)
        stream.unpipe(ex)
        ;(stream as { destroy?: () => void }).destroy?.()
        ex.destroy()
        return
      }
      body.resume()
      body.on('end', next)
    })
    ex.on('finish', () => resolve(result ?? { type: 'missing' }))
    ex.on('error', reject)
    stream.pipe(ex)
  })
}

/** Go's os.FileMode type bits, as the engine's stat header gives them. */
const GO_MODE = { dir: 31, symlink: 27, device: 26, namedPipe: 25, socket: 24, charDevice: 21, irregular: 19 } as const
const hasBit = (mode: number, bit: number) => Math.floor(mode / 2 ** bit) % 2 === 1

/**
 * What is at a path, from the engine's stat (a HEAD of the archive), when that says it all:
 * undefined for a regular file, whose bytes and owner only the archive gives. Docker 20.10 makes
 * every archive in a process of its own (chrooted): ~0.2 s a read on 2 cores, where a stat takes
 * a few ms, and an agent's credentials path is a link (issue 17).
 */
async function statEntry(container: Docker.Container, path: string): Promise<VolumeEntry | undefined> {
  const res = (await container.infoArchive({ path })) as NodeJS.ReadableStream & { headers?: Record<string, string | string[] | undefined> }
  res.resume()
  const header = res.headers?.['x-docker-container-path-stat']
  if (typeof header !== 'string') return undefined
  const stat = JSON.parse(Buffer.from(header, 'base64').toString('utf8')) as { mode?: number; linkTarget?: string }
  const mode = stat.mode ?? 0
  const perm = mode % 0o1000
  if (hasBit(mode, GO_MODE.symlink)) return { type: 'symlink', target: stat.linkTarget ?? '' }
  if (hasBit(mode, GO_MODE.dir)) return { type: 'directory', mode: perm }
  const special = [GO_MODE.device, GO_MODE.namedPipe, GO_MODE.socket, GO_MODE.charDevice, GO_MODE.irregular]
  if (special.some((bit) => hasBit(mode, bit))) return { type: 'other', mode: perm }
  return undefined
}

/**
 * Volumes one helper container mounts. For every archive call the engine mounts all of a
 * helper's volumes (and its root), so a call costs more the more volumes the helper has, while
 * each helper costs a create and a remove: about ten a helper is cheapest (measured on Docker
 * 20.10 with 1000 volumes, with HELPER_CALLS_AT_ONCE: 3.0 s of the engine's CPU, against 5.1 s
 * with 34 a helper and every call at once).
 */
export const MAX_VOLUMES_PER_HELPER = 10
/**
 * Archive calls in flight at once, over all helpers. Each call mounts and unmounts in the
 * engine; many at once only contend there, and a helper's own calls wait for each other in
 * the engine anyway (one lock per container). A few at once keep the engine's cores busy
 * while a call waits on an unmount.
 */
export const HELPER_CALLS_AT_ONCE = 4

/** A handle with nothing mounted: every path is missing, writes go nowhere. */
const NOTHING: VolumeHandle = {
  read: async () => ({ type: 'missing' }),
  writeFile: async () => {},
  writeSymlink: async () => {},
  ownRoot: async () => {},
}

export interface Helper {
  container: Docker.Container
  handle: VolumeHandle
}

interface HelperGroup {
  volumes: Array<{ name: string; readOnly?: boolean }>
  /** Made on the group's first call, and again on a call after it was released. */
  made?: Promise<Helper>
  /** Calls queued or running. */
  busy: number
  /** The group's last call: its calls run one after another. */
  tail: Promise<unknown>
}

/**
 * Runs `fn` with the volumes mounted in helper containers; volume `i` of the list is index `i`
 * of the handle. Many volumes are spread over helpers of MAX_VOLUMES_PER_HELPER each, each made
 * on its group's first call and removed as soon as the group has nothing more to do (a call
 * made right after the last one's answer, as `await read; write` makes it, keeps it), so a
 * volume is held only while it is read or written: a `docker volume rm` meanwhile finds it in
 * use for a moment, not for a whole read of every volume. HELPER_CALLS_AT_ONCE calls are in
 * flight over all of them. Every helper is gone when this returns.
 * Callers must have inspected the volumes: mounting a missing one would create it, unlabelled.
 */
export async function withVolumes<T>(
  ctx: ServiceContext,
  volumes: Array<{ name: string; readOnly?: boolean }>,
  fn: (handle: VolumeHandle) => Promise<T>,
): Promise<T> {
  if (volumes.length === 0) return fn(NOTHING)
  await ensureHelperImage(ctx)
  const groups: HelperGroup[] = Array.from({ length: Math.ceil(volumes.length / MAX_VOLUMES_PER_HELPER) }, (_, g) => ({
    volumes: volumes.slice(g * MAX_VOLUMES_PER_HELPER, (g + 1) * MAX_VOLUMES_PER_HELPER),
    busy: 0,
    tail: Promise.resolve(),
  }))
  const slot = limiter(HELPER_CALLS_AT_ONCE)
  const removals: Array<Promise<void>> = []
  const release = (group: HelperGroup) => {
    const made = group.made
    if (!made) return
    group.made = undefined
    removals.push(slot(() => made.then((h) => h.container.remove({ force: true })).catch(() => {}), true))
  }
  let done = false
  const on = <R>(index: number, call: (handle: VolumeHandle, local: number) => Promise<R>): Promise<R> => {
    const group = groups[Math.floor(index / MAX_VOLUMES_PER_HELPER)]
    if (!group || index < 0 || !Number.isInteger(index)) return Promise.reject(new RangeError(`no volume ${index} is mounted`))
    group.busy++
    // A call on a helper already made goes first: groups are read to the end one after another
    // instead of all a little at a time, so each helper (and every volume it mounts) is held briefly.
    const result = group.tail.then(() =>
      slot(async () => {
        // A call still queued when `fn` has finished would make a helper nobody removes.
        if (done) throw new Error('the volumes are no longer mounted')
        group.made ??= createHelper(ctx, group.volumes)
        return call((await group.made).handle, index % MAX_VOLUMES_PER_HELPER)
      }, group.made !== undefined),
    )
    group.tail = result.then(
      () => {},
      () => {},
    ).finally(() => {
      group.busy--
      // After the caller's continuation has run: a next call it makes at once finds the helper.
      if (group.busy === 0) setImmediate(() => group.busy === 0 && release(group))
    })
    return result
  }
  try {
    return await fn({
      read: (index, path) => on(index, (h, i) => h.read(i, path)),
      writeFile: (index, path, content, opts) => on(index, (h, i) => h.writeFile(i, path, content, opts)),
      writeSymlink: (index, path, target, opts) => on(index, (h, i) => h.writeSymlink(i, path, target, opts)),
      ownRoot: (index, opts) => on(index, (h, i) => h.ownRoot(i, opts)),
    })
  } finally {
    done = true
    // Calls in flight finish first (the engine holds the helper meanwhile), then every helper left goes.
    await Promise.all(groups.map((g) => g.tail))
    groups.forEach(release)
    await Promise.all(removals)
  }
}

/**
 * One helper container with the volumes mounted at /v/<index>, and the handle that reads
 * and writes through it. NoCopy: a mount never copies image content into (or changes the
 * owner of) a volume.
 */
function createHelper(ctx: ServiceContext, volumes: Array<{ name: string; readOnly?: boolean }>): Promise<Helper> {
  // The typings demand every VolumeOptions field; the engine takes NoCopy alone.
  const mounts = volumes.map(
    (v, i) =>
      ({
        Type: 'volume',
        Source: v.name,
        Target: `${HELPER.mountRoot}/${i}`,
        ReadOnly: v.readOnly ?? false,
        VolumeOptions: { NoCopy: true },
      }) as Docker.MountSettings,
  )
  return makeHelper(ctx, mounts, (index) => `${HELPER.mountRoot}/${index}`)
}

/**
 * A never-started helper container with these mounts, and the handle that reads and writes
 * through it; `rootOf(index)` is where volume `index`'s root is seen inside it.
 */
export async function makeHelper(ctx: ServiceContext, mounts: Docker.MountSettings[], rootOf: (index: number) => string): Promise<Helper> {
  let container: Docker.Container
  try {
    container = await ctx.docker.createContainer({
      name: HELPER.containerName(ctx.prefix, randomBytes(4).toString('hex')),
      Image: HELPER.image(ctx.prefix),
      Cmd: ['/none'],
      Labels: HELPER.labels,
      NetworkDisabled: true,
      HostConfig: { NetworkMode: 'none', Mounts: mounts },
    })
  } catch (e) {
    throw toClawkerError(e, 'creating the helper container')
  }
  const full = (index: number, path: string) => `${rootOf(index)}/${path.replace(/^\/+/, '')}`
  const splitPath = (path: string) => {
    const clean = path.replace(/^\/+/, '')
    const slash = clean.lastIndexOf('/')
    return slash === -1 ? { dir: '', base: clean } : { dir: clean.slice(0, slash), base: clean.slice(slash + 1) }
  }
  const handle: VolumeHandle = {
    async read(index, path) {
      try {
        const stat = await statEntry(container, full(index, path))
        return stat ?? (await parseSingleEntry(await container.getArchive({ path: full(index, path) })))
      } catch (e) {
        if (isNotFound(e)) return { type: 'missing' }
        throw toClawkerError(e, 'reading a volume')
      }
    },
    async writeFile(index, path, content, opts) {
      const { dir, base } = splitPath(path)
      const tar = await tarBuffer([{ name: base, mode: opts.mode, uid: opts.uid, gid: opts.gid, content }])
      await container.putArchive(tar, { path: full(index, dir) }).catch((e: unknown) => {
        throw toClawkerError(e, 'writing a volume')
      })
    },
    async writeSymlink(index, path, target, opts) {
      const { dir, base } = splitPath(path)
      const tar = await tarBuffer([{ name: base, type: 'symlink', linkname: target, mode: 0o777, uid: opts.uid, gid: opts.gid }])
      await container.putArchive(tar, { path: full(index, dir) }).catch((e: unknown) => {
        throw toClawkerError(e, 'writing a volume')
      })
    },
    async ownRoot(index, opts) {
      // Docker skips an archive's "./" entry; an entry for the mount point, extracted into its parent, is applied.
      const root = rootOf(index)
      const slash = root.lastIndexOf('/')
      const tar = await tarBuffer([{ name: root.slice(slash + 1), type: 'directory', mode: opts.mode, uid: opts.uid, gid: opts.gid }])
      await container.putArchive(tar, { path: root.slice(0, slash) || '/' }).catch((e: unknown) => {
        throw toClawkerError(e, 'setting the owner of a volume')
      })
    },
  }
  return { container, handle }
}
