/** Labels of clawker resources (prefix `com.clawker.`), as the clawker CLI sets them. */
import type { AgentRef, VolumePurpose } from './names'

export const LABEL_PREFIX = 'com.clawker.'

export const LABEL = {
  managed: `${LABEL_PREFIX}managed`,
  project: `${LABEL_PREFIX}project`,
  agent: `${LABEL_PREFIX}agent`,
  version: `${LABEL_PREFIX}version`,
  image: `${LABEL_PREFIX}image`,
  created: `${LABEL_PREFIX}created`,
  workdir: `${LABEL_PREFIX}workdir`,
  purpose: `${LABEL_PREFIX}purpose`,
} as const

export type Labels = Record<string, string>

/** The filter value that selects every resource clawker manages. */
export const MANAGED_FILTER = `${LABEL.managed}=true`

export function containerLabels(opts: {
  ref: AgentRef
  version: string
  image: string
  created: Date
  workdir: string
}): Labels {
  return {
    [LABEL.managed]: 'true',
    [LABEL.project]: opts.ref.project,
    [LABEL.agent]: opts.ref.agent,
    [LABEL.version]: opts.version,
    [LABEL.image]: opts.image,
    [LABEL.created]: opts.created.toISOString(),
    [LABEL.workdir]: opts.workdir,
  }
}

export function agentVolumeLabels(ref: AgentRef, purpose: VolumePurpose): Labels {
  return {
    [LABEL.managed]: 'true',
    [LABEL.project]: ref.project,
    [LABEL.agent]: ref.agent,
    [LABEL.purpose]: purpose,
  }
}

/** Deliberately without project/agent: removing an agent's volumes (filtered by both) can never match it. */
export function globalVolumeLabels(purpose = 'globals'): Labels {
  return { [LABEL.managed]: 'true', [LABEL.purpose]: purpose }
}

export function imageLabels(opts: { project: string; version: string; created: Date }): Labels {
  return {
    [LABEL.managed]: 'true',
    [LABEL.project]: opts.project,
    [LABEL.version]: opts.version,
    [LABEL.created]: opts.created.toISOString(),
  }
}

export function networkLabels(): Labels {
  return { [LABEL.managed]: 'true' }
}

/** Docker label filters (`key=value`) selecting one agent's volumes. */
export function agentVolumeFilter(ref: AgentRef): string[] {
  return [MANAGED_FILTER, `${LABEL.project}=${ref.project}`, `${LABEL.agent}=${ref.agent}`]
}

/** The agent a labelled resource belongs to, or undefined when it carries no agent label. */
export function refFromLabels(labels: Labels | null | undefined): AgentRef | undefined {
  if (!labels || labels[LABEL.managed] !== 'true') return undefined
  const agent = labels[LABEL.agent]
  if (!agent) return undefined
  return { project: labels[LABEL.project] ?? '', agent }
}
