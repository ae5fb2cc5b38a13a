/**
 * An agent as a plan: the container Docker is asked to create, made by a pure
 * function from what was asked and the layout, so every field is tested alone.
 * Policy lives here, whatever the window sent and whatever the image: every agent
 * runs as the agent user with no capabilities, no new privileges and Docker's init,
 * never privileged, never in the host's network, PID or IPC namespace.
 */
import type Docker from 'dockerode'
import type { AgentRef } from '../../shared/contract'
import { ClawkerError } from '../../shared/errors'
import { containerLabels } from '../docker/labels'
import { AGENT_HOME, AGENT_USER, ENTRYPOINT, MOUNT, SCRIPTS, SCRIPTS_DIR, globalVolume } from '../docker/layout'
import { agentVolumeName, containerName, type VolumePurpose } from '../docker/names'
import type { TarEntry } from '../docker/tarball'

export interface AgentPlanInput {
  ref: AgentRef
  prefix: string
  image: string
  /** The image was built from the template: the entrypoint and the folders are baked in. */
  fromTemplate: boolean
  workspace: string
  workspaceMode: 'bind' | 'snapshot'
  command?: string[]
  networkMode?: string
  keeperIntervalSeconds?: number
  created: Date
  appVersion: string
}

export function purposesFor(workspaceMode: 'bind' | 'snapshot'): VolumePurpose[] {
  return workspaceMode === 'snapshot' ? ['config', 'history', 'workspace'] : ['config', 'history']
}

/** The container create request of an agent. */
export function planAgent(i: AgentPlanInput): Docker.ContainerCreateOptions & { name: string } {
  if (i.networkMode === 'host') throw new ClawkerError('invalid-input', 'Agents never use the host network.', { field: 'networkMode' })
  const volume = (p: VolumePurpose) => agentVolumeName(i.ref, p, i.prefix)
  const mounts: Docker.MountSettings[] = [
    i.workspaceMode === 'bind'
      ? { Type: 'bind', Source: i.workspace, Target: MOUNT.workspace }
      : { Type: 'volume', Source: volume('workspace'), Target: MOUNT.workspace },
    { Type: 'volume', Source: volume('config'), Target: MOUNT.config },
    { Type: 'volume', Source: volume('history'), Target: MOUNT.history },
    globalVolume(i.prefix).mount,
  ]
  return {
    name: containerName(i.ref, i.prefix),
    Image: i.image,
    ...(i.command?.length ? { Cmd: i.command } : {}),
    // Another image gets the scripts put in before start (ownershipArchive), and runs them with its sh.
    ...(i.fromTemplate ? {} : { Entrypoint: ['/bin/sh', ENTRYPOINT] }),
    User: `${AGENT_USER.uid}:${AGENT_USER.gid}`,
    Env: [
      `HOME=${AGENT_HOME}`,
      // Claude Code keeps .claude.json here too: in the config volume, so it survives a new container.
      `CLAUDE_CONFIG_DIR=${MOUNT.config}`,
      `CLAWKER_PROJECT=${i.ref.project}`,
      `CLAWKER_AGENT=${i.ref.agent}`,
      `HISTFILE=${MOUNT.history}/.shell_history`,
      ...(i.keeperIntervalSeconds === undefined ? [] : [`CLAWKER_KEEPER_INTERVAL=${i.keeperIntervalSeconds}`]),
    ],
    Labels: containerLabels({ ref: i.ref, version: i.appVersion, image: i.image, created: i.created, workdir: i.workspace }),
    WorkingDir: MOUNT.workspace,
    // Claude Code is interactive: a TTY and an open stdin that outlives any one attach.
    Tty: true,
    OpenStdin: true,
    StdinOnce: false,
    AttachStdin: false,
    AttachStdout: false,
    AttachStderr: false,
    HostConfig: {
      Mounts: mounts,
      ...(i.networkMode ? { NetworkMode: i.networkMode } : {}),
      Privileged: false,
      CapDrop: ['ALL'],
      SecurityOpt: ['no-new-privileges'],
      // Claude Code as PID 1 would leave zombies: Docker's init reaps them.
      Init: true,
    },
  }
}

/**
 * What a container of another image needs before it starts: the scripts, and the agent's
 * folders owned by the agent user. A folder entry at a mount point sets the owner of the
 * volume's root (a fresh volume over a folder the image lacks is root's, and the agent
 * could not write in it); a bind-mounted workspace is the user's own folder and is left alone.
 */
export function ownershipEntries(workspaceMode: 'bind' | 'snapshot', scripts: Array<{ name: string; content: Buffer }>): TarEntry[] {
  const own = { uid: AGENT_USER.uid, gid: AGENT_USER.gid, type: 'directory' as const }
  const rel = (path: string) => path.replace(/^\/+/, '')
  return [
    { name: rel(AGENT_HOME), mode: 0o755, ...own },
    { name: rel(MOUNT.config), mode: 0o755, ...own },
    { name: rel(MOUNT.globals), mode: 0o700, ...own },
    { name: rel(MOUNT.history), mode: 0o755, ...own },
    { name: 'var/run/clawker', mode: 0o755, ...own },
    ...(workspaceMode === 'snapshot' ? [{ name: rel(MOUNT.workspace), mode: 0o755, ...own }] : []),
    ...scripts.map((s) => ({ name: `${rel(SCRIPTS_DIR)}/${s.name}`, mode: 0o755, uid: 0, gid: 0, content: s.content })),
  ]
}

export { SCRIPTS }
