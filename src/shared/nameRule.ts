/**
 * The name rule for projects and agents, shared by the contract (length, before
 * anything runs) and the main process (Docker's pattern): one message per field.
 *
 * Names are lowercase, as the clawker CLI makes them: an image reference
 * (`clawker-<project>:latest`) must be lowercase, and `Demo` and `demo` must not
 * become two projects. A new name is lowercased (the form shows it as typed in).
 */
export const NAME_MAX_LENGTH = 64

export type NameKind = 'project' | 'agent'

export const nameLabel = (kind: NameKind): string => (kind === 'project' ? 'Project name' : 'Agent name')

export const nameTooLong = (kind: NameKind): string =>
  `${nameLabel(kind)} is longer than ${NAME_MAX_LENGTH} characters. Use a shorter name.`

/** What a typed name becomes: trimmed and lowercase. */
export const normaliseName = (value: string): string => value.trim().toLowerCase()
