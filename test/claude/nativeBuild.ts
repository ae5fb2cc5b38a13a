/**
 * The pinned Claude Code native build for `npm run test:claude`: fetched once from the npm
 * registry (`npm pack` of the one platform package) into .cache/claude-code/<version>/, then
 * put into a test image built locally on top of the agent test image (busybox + glibc, the
 * app's own Dockerfile template): nothing is pulled from a container registry.
 */
import { execFileSync } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, renameSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import type Docker from 'dockerode'
import { tarBuffer, type TarEntry } from '../../src/main/docker/tarball'
import { AGENT_USER, GLOBAL_CREDENTIALS_PATH } from '../../src/main/docker/layout'
import type { ServiceContext } from '../../src/main/services/context'
import { ensureGlobalVolume, globalVolumeMount } from '../../src/main/services/globalVolume'
import { runContainer } from '../harness/containers'
import { followToEnd } from '../harness/images'

/** The version whose saving behaviour DESIGN.md and the README describe. */
export const CLAUDE_CODE_VERSION = process.env.CLAUDE_CODE_VERSION ?? '2.1.331'

const cacheRoot = resolve(__dirname, '../../.cache/claude-code')

function platformPackage(): string {
  const cpu = process.arch === 'x64' ? 'x64' : process.arch === 'arm64' ? 'arm64' : null
  if (process.platform !== 'linux' || !cpu) throw new Error(`no Claude Code native build for ${process.platform}-${process.arch} here`)
  return `@anthropic-ai/claude-code-linux-${cpu}`
}

/** The cached binary's path; fetches it the first time (throws, saying why, when it cannot). */
export function ensureNativeBuild(version = CLAUDE_CODE_VERSION): string {
  const dir = join(cacheRoot, version)
  const binary = join(dir, 'claude')
  if (existsSync(binary)) return binary
  const work = mkdtempSync(join(tmpdir(), 'claude-code-pack-'))
  try {
    const name = execFileSync('npm', ['pack', '--silent', `${platformPackage()}@${version}`, '--pack-destination', work], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    })
      .trim()
      .split('\n')
      .at(-1)!
    execFileSync('tar', ['-xzf', join(work, name), '-C', work, 'package/claude'])
    mkdirSync(dir, { recursive: true })
    renameSync(join(work, 'package', 'claude'), binary)
    return binary
  } catch (e) {
    throw new Error(`cannot fetch Claude Code ${version} from the npm registry: ${(e as Error).message}`)
  } finally {
    rmSync(work, { recursive: true, force: true })
  }
}

/** The shared libraries the binary needs, from ldd (glibc: librt, libpthread, libdl, libm). */
function libsOf(binary: string): string[] {
  const out = execFileSync('ldd', [binary], { encoding: 'utf8' })
  return [...out.matchAll(/(\/\S+\.so[.\d]*)\s/g)].map((m) => m[1]!)
}

/**
 * An image FROM the agent test image with the real claude in /usr/local/bin, and this
 * machine's node (for the token endpoint's stand-in, run in a container on the test network).
 */
export async function buildClaudeImage(docker: Docker, agentImage: string, tag: string, extra: Record<string, Buffer> = {}): Promise<string> {
  const binary = ensureNativeBuild()
  const node = realpathSync(process.execPath)
  const entries: TarEntry[] = [
    { name: 'claude', mode: 0o755, content: readFileSync(binary) },
    { name: 'node', mode: 0o755, content: readFileSync(node) },
  ]
  const lines = ['FROM ' + agentImage, 'USER root', 'COPY claude /usr/local/bin/claude', 'COPY node /usr/local/bin/node']
  const libs = new Set([...libsOf(binary), ...libsOf(node)])
  for (const [i, lib] of [...libs].entries()) {
    entries.push({ name: `lib${i}`, mode: 0o755, content: readFileSync(realpathSync(lib)) })
    lines.push(`COPY lib${i} ${lib}`)
  }
  for (const [i, [path, content]] of Object.entries(extra).entries()) {
    entries.push({ name: `extra${i}`, mode: 0o644, content })
    lines.push(`COPY extra${i} ${path}`)
  }
  lines.push('USER claude')
  entries.push({ name: 'Dockerfile', mode: 0o644, content: lines.join('\n') + '\n' })
  const stream = await docker.buildImage((await tarBuffer(entries)) as unknown as NodeJS.ReadableStream, { t: tag, rm: true, forcerm: true, networkmode: 'none' })
  await followToEnd(docker, stream)
  return tag
}

/** Writes the shared login into the run's global volume as the keeper would leave it (claude's, 600). */
export async function putSharedLogin(ctx: ServiceContext, image: string, login: string): Promise<void> {
  await ensureGlobalVolume(ctx)
  const put = await runContainer(ctx.docker, {
    image,
    user: `${AGENT_USER.uid}:${AGENT_USER.gid}`,
    entrypoint: ['sh', '-c'],
    cmd: [`umask 077; printf '%s' "$LOGIN" > ${GLOBAL_CREDENTIALS_PATH}`],
    env: [`LOGIN=${login}`],
    mounts: [globalVolumeMount(ctx)],
  })
  if (put.code !== 0) throw new Error(`could not write the shared login: ${put.stderr}`)
}
