/**
 * The global volume `clawker-globals`: the one shared login. It carries only the
 * managed and purpose labels, so removing an agent's volumes (filtered by
 * project and agent) can never match it; only a confirmed prune removes it.
 */
import { ClawkerError } from '../../shared/errors'
import { isConflict, isNotFound, toClawkerError } from '../docker/errors'
import { globalVolume, isGlobalVolumeLabels } from '../docker/layout'
import type { ServiceContext } from './context'
import { whereOf, type VolumeWhere } from './volumesFolder'

export interface GlobalVolumeInfo {
  name: string
  /** This call made it. */
  created: boolean
  /** It carries our labels; an unlabelled volume of that name is used as it is, never recreated. */
  labelled: boolean
}

/** Inspects the global volume without creating it; undefined when it does not exist. */
export async function inspectGlobalVolume(ctx: ServiceContext): Promise<{ name: string; labelled: boolean } | undefined> {
  const found = await findGlobalVolume(ctx)
  return found && { name: found.name, labelled: found.labelled }
}

/** The same, with where the engine keeps it (for reading it without mounting it). */
export async function findGlobalVolume(ctx: ServiceContext): Promise<{ name: string; labelled: boolean; where: VolumeWhere } | undefined> {
  const { name } = globalVolume(ctx.prefix)
  try {
    const info = await ctx.docker.getVolume(name).inspect()
    return { name, labelled: isGlobalVolumeLabels(info.Labels), where: whereOf(info) }
  } catch (e) {
    if (isNotFound(e)) return undefined
    throw toClawkerError(e, 'reading the global credentials volume')
  }
}

/** Makes sure the global volume exists; safe to call concurrently (Docker's create is idempotent by name). */
export async function ensureGlobalVolume(ctx: ServiceContext): Promise<GlobalVolumeInfo> {
  const existing = await inspectGlobalVolume(ctx)
  if (existing) return { ...existing, created: false }
  const { name, labels } = globalVolume(ctx.prefix)
  try {
    // A create that races another returns the volume that won; its labels tell whose it is.
    await ctx.docker.createVolume({ Name: name, Labels: labels })
  } catch (e) {
    if (!isConflict(e)) throw toClawkerError(e, 'creating the global credentials volume')
  }
  const after = await inspectGlobalVolume(ctx)
  if (!after) throw new ClawkerError('engine-refused', `Docker did not keep the volume ${name}.`)
  return { ...after, created: true }
}

/** The only way the global volume is removed: asked for explicitly, confirmed by the user. */
export async function pruneGlobalVolume(ctx: ServiceContext, opts: { confirm: boolean }): Promise<void> {
  if (opts.confirm !== true) {
    throw new ClawkerError('invalid-input', 'Removing the shared login volume needs an explicit confirmation.')
  }
  const { name } = globalVolume(ctx.prefix)
  try {
    await ctx.docker.getVolume(name).remove()
  } catch (e) {
    if (isNotFound(e)) return
    if (isConflict(e)) {
      throw new ClawkerError('in-use', `The shared login volume ${name} is used by an agent container; remove those agents first.`)
    }
    throw toClawkerError(e, 'removing the global credentials volume')
  }
}

/** The mount every agent container gets. */
export function globalVolumeMount(ctx: ServiceContext): { Type: 'volume'; Source: string; Target: string } {
  return globalVolume(ctx.prefix).mount
}
