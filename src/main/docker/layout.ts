/**
 * The container layout, one place for each fact (DESIGN.md, "Inside an agent
 * container"): the agent user, where each volume is mounted, where the shared
 * login and its link live, where the scripts are baked, and how Clawker finds its
 * own helper containers and volumes. resources/*.sh and resources/Dockerfile say
 * the same in their own language; the engine tests hold the two together.
 */
import { LABEL, MANAGED_FILTER, globalVolumeLabels, type Labels } from './labels'
import { globalVolumeName, type VolumePurpose } from './names'

/** The agent user, `claude`, in every agent container whatever its image. */
export const AGENT_USER = { name: 'claude', uid: 1001, gid: 1001 } as const
export const AGENT_HOME = '/home/claude'

/** Where each agent volume, and the global one, is mounted. */
export const MOUNT: Record<VolumePurpose | 'globals', string> = {
  config: `${AGENT_HOME}/.claude`,
  history: '/commandhistory',
  workspace: '/workspace',
  globals: `${AGENT_HOME}/.clawker-globals`,
}

/** The credentials file's name, in the config volume and in the global one. */
export const CREDENTIALS_FILE = '.credentials.json'
/** Where every agent's credentials link points: the one shared login. */
export const GLOBAL_CREDENTIALS_PATH = `${MOUNT.globals}/${CREDENTIALS_FILE}`
/** Where the keeper points the link of an agent signed out inside it (keeper.sh's SIGNED_OUT_TARGET): a path that never exists. */
export const SIGNED_OUT_TARGET = `${MOUNT.config}/.clawker-signed-out`

/** Where the template bakes the scripts, and where they are put into containers of other images. */
export const SCRIPTS_DIR = '/usr/local/share/clawker'
export const ENTRYPOINT = `${SCRIPTS_DIR}/entrypoint.sh`
export const SCRIPTS = ['entrypoint.sh', 'keeper.sh'] as const

/** The global volume: its name for a prefix, its labels, and its mount in an agent. */
export function globalVolume(prefix: string): { name: string; labels: Labels; mount: { Type: 'volume'; Source: string; Target: string } } {
  const name = globalVolumeName('globals', prefix)
  return { name, labels: globalVolumeLabels(), mount: { Type: 'volume', Source: name, Target: MOUNT.globals } }
}

/** Whether labels are the global volume's own (an unlabelled volume of that name is used, never recreated). */
export const isGlobalVolumeLabels = (labels: Labels | null | undefined): boolean =>
  labels?.[LABEL.managed] === 'true' && labels?.[LABEL.purpose] === 'globals'

/** Label filter selecting every agent's config volume. */
export const CONFIG_VOLUME_FILTER = [MANAGED_FILTER, `${LABEL.purpose}=config`]

/**
 * The helper: a never-started container on an empty image, through which volumes
 * are read and written with the archive API.
 */
export const HELPER = {
  image: (prefix: string) => `${prefix}-helper:scratch`,
  containerName: (prefix: string, id: string) => `${prefix}-helper-${id}`,
  labels: { [LABEL.managed]: 'true', [LABEL.purpose]: 'helper' } as Labels,
  /** Where volume `index` is mounted in the helper. */
  mountRoot: '/v',
  /** Where a reading helper binds the engine's folder of plain local volumes (volumesFolder.ts). */
  volumesFolder: '/volumes',
  /** Filters that find a prefix's helper containers. */
  filters: (prefix: string) => ({ label: [`${LABEL.purpose}=helper`], name: [`${prefix}-helper-`] }),
} as const
