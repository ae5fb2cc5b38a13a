/** An agent's own volumes: config (its ~/.claude), history, and workspace in snapshot mode. */
import { ClawkerError } from '../../shared/errors'
import { isConflict, isNotFound, toClawkerError } from '../docker/errors'
import { agentVolumeFilter, agentVolumeLabels } from '../docker/labels'
import { agentVolumeName, type AgentRef, type VolumePurpose } from '../docker/names'
import type { ServiceContext } from './context'
import { withVolumeLock } from './volumeLock'

/**
 * Creates the agent's volumes, in parallel; an existing one (kept from an earlier agent) is
 * reused. Says which were made by this call, so a failed create removes only those.
 */
export async function ensureAgentVolumes(ctx: ServiceContext, ref: AgentRef, purposes: VolumePurpose[]): Promise<Array<{ name: string; created: boolean }>> {
  const { Volumes } = await ctx.docker.listVolumes({ filters: { label: agentVolumeFilter(ref) } }).catch((e: unknown) => {
    throw toClawkerError(e, 'listing the agent volumes')
  })
  const existing = new Set((Volumes ?? []).map((v) => v.Name))
  return Promise.all(
    purposes.map(async (purpose) => {
      const name = agentVolumeName(ref, purpose, ctx.prefix)
      if (existing.has(name)) return { name, created: false }
      try {
        await ctx.docker.createVolume({ Name: name, Labels: agentVolumeLabels(ref, purpose) })
        return { name, created: true }
      } catch (e) {
        if (!isConflict(e)) throw toClawkerError(e, `creating the volume ${name}`)
        return { name, created: false }
      }
    }),
  )
}

/** The agent's volumes, found by label (managed + project + agent): never the global one. */
export async function listAgentVolumes(ctx: ServiceContext, ref: AgentRef): Promise<string[]> {
  try {
    const { Volumes } = await ctx.docker.listVolumes({ filters: { label: agentVolumeFilter(ref) } })
    const prefix = `${ctx.prefix}.`
    return (Volumes ?? []).map((v) => v.Name).filter((n) => n.startsWith(prefix))
  } catch (e) {
    throw toClawkerError(e, 'listing the agent volumes')
  }
}

/** Attempts at removing a volume still held by a container that is going away. */
const REMOVE_ATTEMPTS = 10
const REMOVE_RETRY_MS = 150

async function removeVolume(ctx: ServiceContext, name: string): Promise<'removed' | 'in-use'> {
  for (let attempt = 1; ; attempt++) {
    try {
      await ctx.docker.getVolume(name).remove()
      return 'removed'
    } catch (e) {
      if (isNotFound(e)) return 'removed'
      if (!isConflict(e)) throw toClawkerError(e, `removing the volume ${name}`)
      if (attempt >= REMOVE_ATTEMPTS) return 'in-use'
      await new Promise((r) => setTimeout(r, REMOVE_RETRY_MS))
    }
  }
}

export async function removeAgentVolumes(ctx: ServiceContext, ref: AgentRef): Promise<string[]> {
  const names = await listAgentVolumes(ctx, ref)
  const results = await withVolumeLock(() => Promise.all(names.map((n) => removeVolume(ctx, n))))
  const inUse = names.filter((_, i) => results[i] === 'in-use')
  if (inUse.length) {
    throw new ClawkerError('in-use', `These volumes are used by a container and were kept: ${inUse.join(', ')}. Stop or remove that container first.`)
  }
  return names
}
