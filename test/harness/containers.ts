/** Running short-lived test containers and reading what they printed. */
import { randomBytes } from 'node:crypto'
import type Docker from 'dockerode'
import { LABEL } from '../../src/main/docker/labels'

/** The run's name prefix (set by the engine and browser test setups), so its cleanup finds every container. */
const runPrefix = () => process.env.CLAWKER_TEST_RUN_PREFIX ?? process.env.E2E_NAME_PREFIX

export interface RunResult {
  code: number
  stdout: string
  stderr: string
}

/** Splits Docker's multiplexed (non-TTY) log buffer into stdout and stderr. */
export function demux(buffer: Buffer): { stdout: string; stderr: string } {
  const out: Buffer[] = []
  const err: Buffer[] = []
  let i = 0
  while (i + 8 <= buffer.length) {
    const size = buffer.readUInt32BE(i + 4)
    const payload = buffer.subarray(i + 8, i + 8 + size)
    ;(buffer[i] === 2 ? err : out).push(payload)
    i += 8 + size
  }
  return { stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') }
}

export interface RunOptions {
  image: string
  cmd: string[]
  entrypoint?: string[]
  mounts?: Docker.MountSettings[]
  env?: string[]
  user?: string
  /** A name (with the run's prefix); one is made from the run's prefix when left out, so cleanup finds it if the test dies first. */
  name?: string
}

export async function runContainer(docker: Docker, opts: RunOptions): Promise<RunResult> {
  const c = await docker.createContainer({
    ...(opts.name ? { name: opts.name } : runPrefix() ? { name: `${runPrefix()}-run-${randomBytes(4).toString('hex')}` } : {}),
    Image: opts.image,
    Cmd: opts.cmd,
    ...(opts.entrypoint ? { Entrypoint: opts.entrypoint } : {}),
    ...(opts.user !== undefined ? { User: opts.user } : {}),
    Env: opts.env ?? [],
    Labels: { [LABEL.managed]: 'true' },
    HostConfig: { NetworkMode: 'none', Mounts: opts.mounts ?? [] },
  })
  try {
    await c.start()
    const { StatusCode } = (await c.wait()) as { StatusCode: number }
    const logs = (await c.logs({ stdout: true, stderr: true, follow: false })) as unknown as Buffer
    return { code: StatusCode, ...demux(logs) }
  } finally {
    await c.remove({ force: true }).catch(() => {})
  }
}

/** A file as seen from inside a container: type, mode, owner, and link target or content. */
export interface FileState {
  type: 'regular file' | 'symbolic link' | 'directory' | string
  mode: string
  owner: string
  /** The link target for a symlink, the content for a file. */
  value: string
}

/** Lists files matching shell globs inside the given mounts, as root, from a throw-away container. */
export async function fileStates(docker: Docker, image: string, mounts: Docker.MountSettings[], globs: string[]): Promise<Record<string, FileState>> {
  const script = `for f in ${globs.join(' ')}; do [ -e "$f" ] || [ -L "$f" ] || continue; printf '%s\\t%s\\t%s\\t%s\\t' "$f" "$(stat -c %F "$f")" "$(stat -c %a "$f")" "$(stat -c %u:%g "$f")"; if [ -L "$f" ]; then printf %s "$(readlink "$f")"; else cat "$f"; fi; printf '\\n\\036\\n'; done`
  const r = await runContainer(docker, { image, cmd: ['-c', script], entrypoint: ['/bin/sh'], mounts, user: '0' })
  if (r.code !== 0) throw new Error(`listing files failed: ${r.stderr}`)
  const states: Record<string, FileState> = {}
  for (const record of r.stdout.split('\n\x1e\n')) {
    if (!record.trim()) continue
    const [path, type, mode, owner, ...rest] = record.split('\t')
    states[path!] = { type: type!, mode: mode!, owner: owner!, value: rest.join('\t') }
  }
  return states
}

/** Runs a command in a running container and waits for it. */
export async function execIn(container: Docker.Container, cmd: string[], opts: { user?: string; env?: string[] } = {}): Promise<RunResult> {
  const exec = await container.exec({ Cmd: cmd, AttachStdout: true, AttachStderr: true, User: opts.user ?? '', Env: opts.env ?? [] })
  const stream = await exec.start({ hijack: true, stdin: false })
  const chunks: Buffer[] = []
  await new Promise<void>((resolve, reject) => {
    stream.on('data', (c: Buffer) => chunks.push(c))
    stream.on('end', resolve)
    stream.on('error', reject)
  })
  const { ExitCode } = await exec.inspect()
  return { code: ExitCode ?? -1, ...demux(Buffer.concat(chunks)) }
}
