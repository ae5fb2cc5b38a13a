/**
 * Reading one file in many volumes without mounting them. A plain local volume (driver
 * `local`, no options) is the folder `<folder>/<name>/_data` on the engine's host, and all of
 * them share that folder. A helper that binds the folder (read-only, never started) reads any
 * of them with one bind a call, where a helper mounting ten volumes has the engine mount all
 * ten for every call: 1000 volumes in ~1.5 s instead of ~5 s on Docker 20.10 with 2 cores
 * (issue 17). And such a read holds no volume, so a `docker volume rm` meanwhile never finds
 * one in use.
 * Everything else is read through helpers that mount the volumes (withVolumes): a volume with
 * options (nfs, tmpfs, a bind device) has its files only while it is mounted, and an engine
 * that refuses the bind or shows another folder under that path (Docker Desktop binds from the
 * host's files) fails the probe. Only for showing state: what writes, or decides what to write,
 * mounts the volumes it works on.
 */
import type Docker from 'dockerode'
import { HELPER } from '../docker/layout'
import type { ServiceContext } from './context'
import { ensureHelperImage, makeHelper, withVolumes, HELPER_CALLS_AT_ONCE, type Helper, type VolumeEntry } from './volumeArchive'

/** Where the engine keeps a volume, as its list and inspect report it. */
export interface VolumeWhere {
  driver: string
  mountpoint: string
  options: Record<string, string> | null
}

export const whereOf = (info: Pick<Docker.VolumeInspectInfo, 'Driver' | 'Mountpoint' | 'Options'>): VolumeWhere => ({
  driver: info.Driver,
  mountpoint: info.Mountpoint,
  options: info.Options,
})

/** The engine's folder that holds `name`, when it is a plain local volume; undefined otherwise. */
export function plainVolumesFolder(name: string, where: VolumeWhere): string | undefined {
  if (where.driver !== 'local' || Object.keys(where.options ?? {}).length > 0) return undefined
  const tail = `/${name}/_data`
  if (!where.mountpoint.startsWith('/') || !where.mountpoint.endsWith(tail)) return undefined
  return where.mountpoint.slice(0, -tail.length) || '/'
}

export interface ReadPlan {
  /** The folder most plain volumes share; undefined when none is plain. */
  folder: string | undefined
  /** Indexes read through that folder. */
  throughFolder: number[]
  /** Indexes read by mounting the volume. */
  mounted: number[]
}

export function planReads(volumes: Array<{ name: string; where: VolumeWhere }>): ReadPlan {
  const folders = volumes.map((v) => plainVolumesFolder(v.name, v.where))
  const counts = new Map<string, number>()
  for (const f of folders) if (f !== undefined) counts.set(f, (counts.get(f) ?? 0) + 1)
  const folder = [...counts].sort((a, b) => b[1] - a[1])[0]?.[0]
  const plan: ReadPlan = { folder, throughFolder: [], mounted: [] }
  folders.forEach((f, i) => (f !== undefined && f === folder ? plan.throughFolder : plan.mounted).push(i))
  return plan
}

/** Reads per folder helper before another is worth its create and remove. */
const READS_PER_FOLDER_HELPER = 25

/**
 * Reads `path` (relative to each volume's root, a symlink not followed) in every volume, in
 * order. Callers must have listed or inspected the volumes: mounting a missing one would create it.
 */
export async function readInEveryVolume(ctx: ServiceContext, volumes: Array<{ name: string; where: VolumeWhere }>, path: string): Promise<VolumeEntry[]> {
  const plan = planReads(volumes)
  const entries: VolumeEntry[] = new Array<VolumeEntry>(volumes.length)
  const direct = plan.folder === undefined ? undefined : await readThroughFolder(ctx, plan.folder, plan.throughFolder.map((i) => volumes[i]!.name), path)
  direct?.forEach((entry, k) => (entries[plan.throughFolder[k]!] = entry))
  const mounted = direct ? plan.mounted : volumes.map((_, i) => i)
  if (mounted.length > 0) {
    await withVolumes(ctx, mounted.map((i) => ({ name: volumes[i]!.name, readOnly: true })), async (h) => {
      const read = await Promise.all(mounted.map((_, k) => h.read(k, path)))
      read.forEach((entry, k) => (entries[mounted[k]!] = entry))
    })
  }
  return entries
}

/**
 * Reads `path` in each named volume through helpers that bind the engine's volumes folder, a
 * few helpers side by side (the engine takes one archive call of a container at a time).
 * Undefined when the engine refuses such a helper or does not show the first volume's folder
 * in it: the caller mounts the volumes instead.
 */
async function readThroughFolder(ctx: ServiceContext, folder: string, names: string[], path: string): Promise<VolumeEntry[] | undefined> {
  await ensureHelperImage(ctx)
  const count = Math.min(HELPER_CALLS_AT_ONCE, Math.ceil(names.length / READS_PER_FOLDER_HELPER))
  // NonRecursive: a volume with options mounted under the folder by a running agent is not carried along.
  const mounts = [{ Type: 'bind', Source: folder, Target: HELPER.volumesFolder, ReadOnly: true, BindOptions: { NonRecursive: true } } as unknown as Docker.MountSettings]
  const rootOf = (index: number) => `${HELPER.volumesFolder}/${names[index]}/_data`
  const made = Array.from({ length: count }, () => makeHelper(ctx, mounts, rootOf))
  const helpers: Helper[] = []
  try {
    const settled = await Promise.allSettled(made)
    for (const s of settled) if (s.status === 'fulfilled') helpers.push(s.value)
    if (helpers.length < count) return undefined
    // The probe: the first volume's root is a folder there. Another engine's view of that path shows nothing.
    if ((await helpers[0]!.handle.read(0, '')).type !== 'directory') return undefined
    const entries: VolumeEntry[] = new Array<VolumeEntry>(names.length)
    await Promise.all(
      helpers.map(async (h, k) => {
        for (let i = k; i < names.length; i += count) entries[i] = await h.handle.read(i, path)
      }),
    )
    return entries
  } finally {
    await Promise.all(helpers.map((h) => h.container.remove({ force: true }).catch(() => {})))
  }
}
