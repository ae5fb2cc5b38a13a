/**
 * Agents: containers named, labelled and mounted exactly as the clawker CLI
 * makes them. Listing is one Docker request whatever the number of agents;
 * create-and-start does only what Docker needs.
 */
import { readFile, realpath, stat } from 'node:fs/promises'
import { homedir } from 'node:os'
import { isAbsolute } from 'node:path'
import type Docker from 'dockerode'
import type { AgentSummary, CreateAgentRequest, CreateProgress } from '../../shared/contract'
import { ClawkerError } from '../../shared/errors'
import { agentLabel } from '../../shared/agentText'
import { isNotFound, notFound, toClawkerError } from '../docker/errors'
import { LABEL, MANAGED_FILTER } from '../docker/labels'
import { MOUNT, SCRIPTS } from '../docker/layout'
import { workspaceProblem } from '../policy/workspace'
import { ownershipEntries, planAgent, purposesFor } from './agentPlan'
import { assertValidName, containerName, imageName, normaliseName, parseContainerName, type AgentRef } from '../docker/names'
import { randomAgentName } from '../docker/randomName'
import { resourcePath } from './resources'
import type { ServiceContext } from './context'
import { ensureGlobalVolume } from './globalVolume'
import { ensureAgentVolumes, removeAgentVolumes } from './volumes'
import { tarBuffer } from '../docker/tarball'
import { packFolder } from './workspaceArchive'

export type { AgentSummary } from '../../shared/contract'

export interface CreateOptions extends CreateAgentRequest {
  /** Docker network mode; tests pass 'none'. */
  networkMode?: string
  /** The credential keeper's interval in the agent (its default when unset; 0 turns it off). */
  keeperIntervalSeconds?: number
  /** The largest workspace a snapshot copies (SNAPSHOT_MAX_BYTES when unset). */
  snapshotMaxBytes?: number
}

/** Docker's summary Status ("Exited (137) 2 minutes ago", "Up 3 minutes (healthy)") holds what list has no field for. */
export function parseStatus(status: string): { exitCode: number | null; health: AgentSummary['health'] } {
  const exit = /^Exited \((-?\d+)\)/.exec(status)
  const health = /\(health: starting\)/.test(status)
    ? 'starting'
    : /\(unhealthy\)/.test(status)
      ? 'unhealthy'
      : /\(healthy\)/.test(status)
        ? 'healthy'
        : null
  return { exitCode: exit ? Number(exit[1]) : null, health }
}

export function summaryFromList(c: Docker.ContainerInfo, prefix: string, engine = 'local'): AgentSummary | undefined {
  const labels = c.Labels ?? {}
  const name = (c.Names[0] ?? '').replace(/^\//, '')
  const ref = labels[LABEL.agent]
    ? { project: labels[LABEL.project] ?? '', agent: labels[LABEL.agent]! }
    : parseContainerName(name, prefix)
  if (!ref) return undefined
  const { exitCode, health } = parseStatus(c.Status ?? '')
  const workspace = c.Mounts?.find((m) => m.Destination === MOUNT.workspace)
  return {
    id: c.Id,
    engine,
    name,
    project: ref.project,
    agent: ref.agent,
    state: c.State as AgentSummary['state'],
    exitCode: c.State === 'exited' ? exitCode : null,
    status: c.Status ?? '',
    image: labels[LABEL.image] ?? c.Image,
    workdir: labels[LABEL.workdir] ?? '',
    created: labels[LABEL.created] ?? new Date(c.Created * 1000).toISOString(),
    health,
    ...(workspace ? { workspaceMode: workspace.Type === 'volume' ? 'snapshot' : 'bind' } : {}),
  }
}

/** Every agent, with one request: the managed label and the name prefix, filtered by the engine. */
export async function listAgents(ctx: ServiceContext): Promise<AgentSummary[]> {
  let containers: Docker.ContainerInfo[]
  try {
    containers = await ctx.docker.listContainers({
      all: true,
      filters: { label: [MANAGED_FILTER], name: [`^/${ctx.prefix.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\.`] },
    })
  } catch (e) {
    throw toClawkerError(e, 'listing agents')
  }
  return containers
    .map((c) => summaryFromList(c, ctx.prefix, ctx.engine))
    .filter((a): a is AgentSummary => a !== undefined)
    .sort((a, b) => a.project.localeCompare(b.project) || a.agent.localeCompare(b.agent))
}

export async function inspectAgent(ctx: ServiceContext, ref: AgentRef): Promise<Docker.ContainerInspectInfo> {
  try {
    return await ctx.docker.getContainer(containerName(ref, ctx.prefix)).inspect()
  } catch (e) {
    if (isNotFound(e)) throw notFound(ref)
    throw toClawkerError(e, `inspecting ${agentLabel(ref)}`)
  }
}

/** The workspace's real path, once it exists, is a folder, and passes the workspace policy. */
async function checkWorkspace(ctx: ServiceContext, path: string): Promise<string> {
  if (!isAbsolute(path)) {
    throw new ClawkerError('workspace-missing', `The workspace folder must be an absolute path, not "${path.slice(0, 200)}".`, { field: 'workspace' })
  }
  const st = await stat(path).catch(() => undefined)
  if (!st) throw new ClawkerError('workspace-missing', `The workspace folder ${path} does not exist.`, { field: 'workspace' })
  if (!st.isDirectory()) throw new ClawkerError('workspace-missing', `${path} is not a folder.`, { field: 'workspace' })
  const real = await realpath(path)
  const socket = (ctx.docker.modem as unknown as { socketPath?: string }).socketPath
  const problem = workspaceProblem({
    realPath: real,
    home: await realpath(homedir()).catch(() => homedir()),
    ...(socket ? { engineSocket: await realpath(socket).catch(() => socket) } : {}),
    platform: process.platform,
  })
  if (problem) throw new ClawkerError('invalid-input', problem, { field: 'workspace' })
  return real
}

/** The image's labels, or image-missing naming it (and offering the build when it is the project image). */
async function checkImage(ctx: ServiceContext, image: string, project: string): Promise<Record<string, string>> {
  try {
    const info = await ctx.docker.getImage(image).inspect()
    return info.Config?.Labels ?? {}
  } catch (e) {
    if (!isNotFound(e)) throw toClawkerError(e, `looking for the image ${image}`)
    const isProjectImage = image === imageName(project, ctx.prefix)
    throw new ClawkerError(
      'image-missing',
      isProjectImage
        ? `The project image ${image} is not built yet. Build it, or pick an existing image.`
        : `The image ${image} is not on this Docker engine. Pick another, or build the project image.`,
      { field: 'image' },
    )
  }
}

async function checkNameFree(ctx: ServiceContext, ref: AgentRef): Promise<void> {
  try {
    await ctx.docker.getContainer(containerName(ref, ctx.prefix)).inspect()
  } catch (e) {
    if (isNotFound(e)) return
    throw toClawkerError(e, 'checking the agent name')
  }
  throw new ClawkerError('already-exists', `An agent ${agentLabel(ref)} already exists. Pick another name.`, { field: 'agent' })
}

/** The scripts and the agent's folders, for a container made from an image that does not have them. */
async function ownershipArchive(workspaceMode: 'bind' | 'snapshot'): Promise<Buffer> {
  const scripts = await Promise.all(SCRIPTS.map(async (name) => ({ name, content: await readFile(resourcePath(name)) })))
  return tarBuffer(ownershipEntries(workspaceMode, scripts))
}

/** Copies the workspace folder into the snapshot volume; a folder that cannot be copied fails with its reason, never the process. */
async function copySnapshot(container: Docker.Container, folder: string, maxBytes?: number): Promise<void> {
  const archive = packFolder(folder, maxBytes)
  const failed = new Promise<never>((_, reject) => archive.once('error', reject))
  await Promise.race([container.putArchive(archive as unknown as NodeJS.ReadableStream, { path: MOUNT.workspace }), failed])
}

/** What Create is doing, in order, for the form to show as it happens. */
export type CreateStep = CreateProgress['step']

export async function createAgent(ctx: ServiceContext, req: CreateOptions, onStep: (step: CreateStep) => void = () => {}): Promise<AgentSummary> {
  onStep('check')
  // Lowercase, as the clawker CLI names them: `Demo` and `demo` are one project.
  const project = normaliseName(req.project)
  if (project !== '') assertValidName('project', project)
  const agent = normaliseName(req.agent ?? '') || randomAgentName()
  assertValidName('agent', agent)
  const ref = { project, agent }
  const image = req.image?.trim() || imageName(project, ctx.prefix)
  const workspace = await checkWorkspace(ctx, req.workspace)
  const [imageLabels] = await Promise.all([checkImage(ctx, image, project), checkNameFree(ctx, ref)])
  const plan = planAgent({
    ref,
    prefix: ctx.prefix,
    image,
    // An image from our template has the entrypoint and the folders baked in; any other gets them put in before start.
    fromTemplate: imageLabels[LABEL.managed] === 'true',
    workspace,
    workspaceMode: req.workspaceMode,
    ...(req.command?.length ? { command: req.command } : {}),
    ...(req.networkMode ? { networkMode: req.networkMode } : {}),
    ...(req.keeperIntervalSeconds === undefined ? {} : { keeperIntervalSeconds: req.keeperIntervalSeconds }),
    created: ctx.now(),
    appVersion: ctx.appVersion,
  })
  onStep('volumes')
  const volumes = await ensureAgentVolumes(ctx, ref, purposesFor(req.workspaceMode))
  onStep('global-volume')
  await ensureGlobalVolume(ctx)
  // Half an agent is worse than none: on any failure what this call made goes (volumes kept from an earlier agent stay).
  const undo = async (container?: Docker.Container) => {
    await container?.remove({ force: true }).catch(() => {})
    await Promise.all(volumes.filter((v) => v.created).map((v) => ctx.docker.getVolume(v.name).remove().catch(() => {})))
  }
  let container: Docker.Container
  onStep('container')
  try {
    container = await ctx.docker.createContainer(plan)
  } catch (e) {
    await undo()
    if ((e as { statusCode?: number }).statusCode === 409) {
      throw new ClawkerError('already-exists', `An agent ${agentLabel(ref)} already exists. Pick another name.`, { field: 'agent' })
    }
    throw toClawkerError(e, `creating ${agentLabel(ref)}`)
  }
  try {
    if (plan.Entrypoint) await container.putArchive(await ownershipArchive(req.workspaceMode), { path: '/' })
    if (req.workspaceMode === 'snapshot') await copySnapshot(container, workspace, req.snapshotMaxBytes)
    if (req.start !== false) {
      onStep('start')
      await container.start()
    }
  } catch (e) {
    await undo(container)
    throw e instanceof ClawkerError ? e : toClawkerError(e, `starting ${agentLabel(ref)}`)
  }
  return {
    id: container.id,
    engine: ctx.engine,
    name: plan.name,
    project,
    agent,
    state: req.start === false ? 'created' : 'running',
    exitCode: null,
    status: req.start === false ? 'Created' : 'Up',
    image,
    workdir: workspace,
    created: plan.Labels![LABEL.created]!,
    health: null,
  }
}

/** Runs a container call; "already in that state" (304) is success, a missing agent a clear not-found. */
async function onAgent(ctx: ServiceContext, ref: AgentRef, doing: string, act: (c: Docker.Container) => Promise<unknown>): Promise<void> {
  try {
    await act(ctx.docker.getContainer(containerName(ref, ctx.prefix)))
  } catch (e) {
    if ((e as { statusCode?: number }).statusCode === 304) return
    if (isNotFound(e)) throw notFound(ref)
    throw toClawkerError(e, `${doing} ${agentLabel(ref)}`)
  }
}

export const startAgent = (ctx: ServiceContext, ref: AgentRef) => onAgent(ctx, ref, 'starting', (c) => c.start())

/**
 * A stop asks with SIGTERM, the signal Claude Code (a Node program) ends on, and
 * forces the end (SIGKILL) after this many seconds: long enough to save, short
 * enough that Stop does not look stuck. The UI states the same number.
 */
export const STOP_TIMEOUT_SECONDS = 3
export const STOP_SIGNAL = 'SIGTERM'

export const stopAgent = (ctx: ServiceContext, ref: AgentRef, timeoutSeconds = STOP_TIMEOUT_SECONDS) =>
  onAgent(ctx, ref, 'stopping', (c) => c.stop({ t: timeoutSeconds, signal: STOP_SIGNAL }))

export const restartAgent = (ctx: ServiceContext, ref: AgentRef, timeoutSeconds = STOP_TIMEOUT_SECONDS) =>
  onAgent(ctx, ref, 'restarting', (c) => c.restart({ t: timeoutSeconds, signal: STOP_SIGNAL }))

/** Removes the container; its volumes too when asked (by label, so never the global volume). */
export async function removeAgent(ctx: ServiceContext, ref: AgentRef, opts: { removeVolumes: boolean }): Promise<void> {
  let containerMissing = false
  try {
    await ctx.docker.getContainer(containerName(ref, ctx.prefix)).remove({ force: true })
  } catch (e) {
    if (!isNotFound(e)) throw toClawkerError(e, `removing ${agentLabel(ref)}`)
    containerMissing = true
  }
  const removed = opts.removeVolumes ? await removeAgentVolumes(ctx, ref) : []
  if (containerMissing && removed.length === 0) throw notFound(ref)
}

export interface ProjectSummary {
  project: string
  agents: number
  running: number
}

export async function listProjects(ctx: ServiceContext): Promise<ProjectSummary[]> {
  const byProject = new Map<string, ProjectSummary>()
  for (const a of await listAgents(ctx)) {
    const p = byProject.get(a.project) ?? { project: a.project, agents: 0, running: 0 }
    p.agents++
    if (a.state === 'running') p.running++
    byProject.set(a.project, p)
  }
  return [...byProject.values()]
}

/** Stops every running agent of a project, in parallel; answers how many it stopped. */
export async function stopProject(
  ctx: ServiceContext,
  project: string,
  timeoutSeconds = STOP_TIMEOUT_SECONDS,
  stopping: (a: AgentSummary, stop: () => Promise<void>) => Promise<void> = (_a, stop) => stop(),
): Promise<number> {
  if (project !== '') assertValidName('project', project)
  const running = (await listAgents(ctx)).filter((a) => a.project === project && a.state === 'running')
  await Promise.all(running.map((a) => stopping(a, () => stopAgent(ctx, a, timeoutSeconds))))
  return running.length
}
