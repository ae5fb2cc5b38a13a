/** Acting on the engine from outside the app, as a user with the docker CLI would. */
import { execFile } from 'node:child_process'
import { promisify } from 'node:util'
import Docker from 'dockerode'
import { dockerFromHost } from '../../src/main/docker/connection'

const run = promisify(execFile)

export function engine(): Docker {
  return dockerFromHost(process.env.E2E_DOCKER_HOST!)
}

export const prefix = () => process.env.E2E_NAME_PREFIX!
export const agentImage = () => process.env.E2E_AGENT_IMAGE!

/** The docker CLI against the run's engine. */
export async function dockerCli(...args: string[]): Promise<string> {
  const { stdout } = await run('docker', args, { env: { ...process.env, DOCKER_HOST: process.env.E2E_DOCKER_HOST } })
  return stdout
}

export async function volumeNames(): Promise<string[]> {
  const { Volumes } = await engine().listVolumes()
  return (Volumes ?? []).map((v) => v.Name).filter((n) => n.startsWith(prefix()))
}

/** Writes a file into a volume through a created, never-started container (as claude, uid 1001). */
export async function putFile(volume: string, name: string, content: string, mode = 0o600): Promise<void> {
  await putEntry(volume, { name, mode, uid: 1001, gid: 1001, content })
}

/** Writes a symlink into a volume, as claude. */
export async function putSymlink(volume: string, name: string, target: string): Promise<void> {
  await putEntry(volume, { name, type: 'symlink', linkname: target, uid: 1001, gid: 1001 })
}

async function putEntry(volume: string, entry: import('../../src/main/docker/tarball').TarEntry): Promise<void> {
  const { tarBuffer } = await import('../../src/main/docker/tarball')
  const d = engine()
  const c = await d.createContainer({
    Image: process.env.E2E_BASE_IMAGE!,
    Cmd: ['true'],
    // NoCopy: the test's mount must not change the volume root's owner.
    HostConfig: { NetworkMode: 'none', Mounts: [{ Type: 'volume', Source: volume, Target: '/v', VolumeOptions: { NoCopy: true } } as Docker.MountSettings] },
  })
  try {
    await c.putArchive(await tarBuffer([entry]), { path: '/v' })
  } finally {
    await c.remove({ force: true })
  }
}
