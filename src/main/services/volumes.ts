/** An agent's own volumes: config (its ~/.claude), history, and workspace in snapshot mode. */
import { ClawkerError } from '../../shared/errors'
import { isConflict, isNotFound, toClawkerError } from '../docker/errors'
import { agentVolumeFilter, agentVolumeLabels } from '../docker/labels'
import { agentVolumeName, type AgentRef, type VolumePurpose } from '../docker/names'
import type { ServiceContext } from './context'

/** Where each volume is mounted in the agent container. */
export const VOLUME_TARGETS: Record<VolumePurpose, string> = {
  config: '/home/claude/.claude',
  history: '/commandhistory',
  workspace: '/workspace',
}

export function purposesFor(workspaceMode: 'bind' | 'snapshot'): VolumePurpose[] {
  return workspaceMode === 'snapshot' ? ['config', 'history', 'workspace'] : ['config', 'history']
}

/** Creates the agent's volumes, in parallel; an existing one (kept from an earlier agent) is reused. */
export async function ensureAgentVolumes(ctx: ServiceContext, ref: AgentRef, purposes: VolumePurpose[]): Promise<string[]> {
  return Promise.all(
    purposes.map(async (purpose) => {
      const name = agentVolumeName(ref, purpose, ctx.prefix)
      try {
        await ctx.docker.createVolume({ Name: name, Labels: agentVolumeLabels(ref, purpose) })
      } catch (e) {
        if (!isConflict(e)) throw toClawkerError(e, `creating the volume ${name}`)
      }
      return name
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

export async function removeAgentVolumes(ctx: ServiceContext, ref: AgentRef): Promise<string[]> {
  const names = await listAgentVolumes(ctx, ref)
  const results = await Promise.allSettled(names.map((n) => ctx.docker.getVolume(n).remove()))
  const inUse: string[] = []
  results.forEach((r, i) => {
    if (r.status === 'rejected' && !isNotFound(r.reason)) {
      if (isConflict(r.reason)) inUse.push(names[i]!)
      else throw toClawkerError(r.reason, `removing the volume ${names[i]}`)
    }
  })
  if (inUse.length) {
    throw new ClawkerError('in-use', `These volumes are used by a container and were kept: ${inUse.join(', ')}. Stop or remove that container first.`)
  }
  return names
}
