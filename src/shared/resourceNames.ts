/**
 * The names of the resources the window shows before they exist, from the one
 * rule the main process uses (src/main/docker/names.ts builds on these): the
 * window learns the prefix from app.startup and never spells a name itself.
 */

/** `clawker-<project>:latest`, or `clawker:latest` without a project. */
export const projectImageName = (project: string, prefix: string): string => (project ? `${prefix}-${project}:latest` : `${prefix}:latest`)

/** `clawker-<purpose>`: hyphenated, never dot-separated. */
export const globalVolumeName = (prefix: string, purpose = 'globals'): string => `${prefix}-${purpose}`
