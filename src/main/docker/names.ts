/**
 * Names of clawker resources, exactly as the clawker CLI makes them, so an agent
 * made by either one shows up in the other.
 */

import { globalVolumeName as sharedGlobalVolumeName, projectImageName } from '../../shared/resourceNames'
import type { AgentRef } from '../../shared/contract'
import { ClawkerError } from '../../shared/errors'
import { NAME_MAX_LENGTH, nameLabel, nameTooLong } from '../../shared/nameRule'

export { NAME_MAX_LENGTH, normaliseName } from '../../shared/nameRule'

/** The one name prefix. Tests pass their own so a user's real resources are never touched. */
export const NAME_PREFIX = 'clawker'

export const VOLUME_PURPOSES = ['config', 'history', 'workspace'] as const
export type VolumePurpose = (typeof VOLUME_PURPOSES)[number]

/** Docker's own rule for names; both project and agent must match it. */
export const NAME_PATTERN = /^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/

/** A typed error (code invalid-name, field project or agent) the UI shows beside the field. */
export class InvalidNameError extends ClawkerError {
  constructor(
    override readonly field: 'project' | 'agent',
    readonly value: string,
    message: string,
  ) {
    super('invalid-name', message, { field })
    this.name = 'InvalidNameError'
  }
}

/** Why a project or agent name is refused, or undefined when it is valid. */
export function nameProblem(kind: 'project' | 'agent', value: string): string | undefined {
  const label = nameLabel(kind)
  if (value.length === 0) return `${label} is empty.`
  // Docker allows long names, but a name is also a label value and part of several others.
  if (value.length > NAME_MAX_LENGTH) return nameTooLong(kind)
  if (!NAME_PATTERN.test(value)) {
    return `${label} "${value}" is not allowed: use letters, digits, "_", "." and "-", starting with a letter or digit.`
  }
  return undefined
}

export function assertValidName(kind: 'project' | 'agent', value: string): void {
  const problem = nameProblem(kind, value)
  if (problem) throw new InvalidNameError(kind, value, problem)
}

export type { AgentRef } from '../../shared/contract'

function assertRef(ref: AgentRef): void {
  if (ref.project !== '') assertValidName('project', ref.project)
  assertValidName('agent', ref.agent)
}

/** `clawker.<project>.<agent>`, or `clawker.<agent>` when there is no project. */
export function containerName(ref: AgentRef, prefix = NAME_PREFIX): string {
  assertRef(ref)
  return ref.project ? `${prefix}.${ref.project}.${ref.agent}` : `${prefix}.${ref.agent}`
}

/** `clawker.<project>.<agent>-<purpose>` (`clawker.<agent>-<purpose>` without a project). */
export function agentVolumeName(ref: AgentRef, purpose: VolumePurpose, prefix = NAME_PREFIX): string {
  return containerVolumeName(containerName(ref, prefix), purpose)
}

/** An agent's volume by its container's name (as an engine event gives it). */
export function containerVolumeName(container: string, purpose: VolumePurpose): string {
  return `${container}-${purpose}`
}

/** `clawker-<purpose>`: hyphenated, never dot-separated. */
export function globalVolumeName(purpose = 'globals', prefix = NAME_PREFIX): string {
  return sharedGlobalVolumeName(prefix, purpose)
}

/** `clawker-<project>:latest`, or `clawker:latest` without a project. */
export function imageName(project: string, prefix = NAME_PREFIX): string {
  if (project !== '') assertValidName('project', project)
  return projectImageName(project, prefix)
}

export function networkName(prefix = NAME_PREFIX): string {
  return `${prefix}-net`
}

/**
 * Reads a container name back into project and agent. Docker reports names with
 * a leading slash. A name of three dot-separated parts is project.agent, of two
 * it has no project; dots inside an agent name are therefore ambiguous, and the
 * labels (which every managed container carries) are the authority when present.
 */
export function parseContainerName(name: string, prefix = NAME_PREFIX): AgentRef | undefined {
  const bare = name.startsWith('/') ? name.slice(1) : name
  if (!bare.startsWith(`${prefix}.`)) return undefined
  const rest = bare.slice(prefix.length + 1)
  const dot = rest.indexOf('.')
  if (dot === 0) return undefined
  const ref = dot === -1 ? { project: '', agent: rest } : { project: rest.slice(0, dot), agent: rest.slice(dot + 1) }
  if (ref.project !== '' && nameProblem('project', ref.project)) return undefined
  if (nameProblem('agent', ref.agent)) return undefined
  return ref
}
