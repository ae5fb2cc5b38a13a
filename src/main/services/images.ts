/**
 * Images: the project image built from resources/Dockerfile (with the entrypoint
 * and keeper) through Docker's build API and an in-memory context, its output
 * streamed line by line; and the list of images for the picker, in one request.
 */
import { readFile } from 'node:fs/promises'
import type Docker from 'dockerode'
import type { ImageSummary } from '../../shared/contract'
import { ClawkerError } from '../../shared/errors'
import { engineMessage, isEngineUnreachable, isNotFound, toClawkerError } from '../docker/errors'
import { explainBuildFailure, explainPullFailure } from './buildErrors'
import { LABEL, imageLabels } from '../docker/labels'
import { assertValidName, imageName } from '../docker/names'
import { tarBuffer } from '../docker/tarball'
import { resourcePath } from './resources'
import type { ServiceContext } from './context'

export interface BuildOptions {
  project: string
  baseImage: string
  installClaudeCode: boolean
  extraPackages: string[]
  /** Network for the build's RUN steps (the engine's default when unset); tests pass 'none'. */
  networkMode?: string
  /**
   * A CA certificate (PEM) file on this machine, for building behind a TLS-inspecting
   * proxy: read here in main, added to the image's trust store and given to Claude Code.
   */
  caCertPath?: string
}

/** The largest CA certificate file read (a bundle of a few certificates is a few KiB). */
const MAX_CA_CERT_BYTES = 256 * 1024

/** Reads the CA certificate file the user picked; a clear error when it is not one. */
export async function readCaCert(path: string): Promise<Buffer> {
  let content: Buffer
  try {
    content = await readFile(path)
  } catch (e) {
    throw new ClawkerError('invalid-input', `The CA certificate ${path} cannot be read: ${(e as Error).message}`, {
      field: 'caCert',
      cause: e,
    })
  }
  if (content.length > MAX_CA_CERT_BYTES || !content.includes('-----BEGIN CERTIFICATE-----'))
    throw new ClawkerError('invalid-input', `${path} is not a PEM CA certificate (-----BEGIN CERTIFICATE-----): export the proxy's CA as PEM`, {
      field: 'caCert',
    })
  return content
}

/** One JSON message of Docker's build or pull stream. */
interface ProgressMessage {
  stream?: string
  status?: string
  progress?: string
  id?: string
  error?: string
  errorDetail?: { message?: string }
}

/** Follows a build or pull stream, handing on each line; rejects with the engine's own error. */
function follow(docker: Docker, stream: NodeJS.ReadableStream, onLine: (line: string) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    let failed: string | undefined
    docker.modem.followProgress(
      stream,
      (err: Error | null) => {
        if (err) reject(err)
        else if (failed) reject(new ClawkerError('engine-refused', failed))
        else resolve()
      },
      (m: ProgressMessage) => {
        if (m.error) failed = m.errorDetail?.message ?? m.error
        const text = m.stream ?? (m.status ? [m.id, m.status, m.progress].filter(Boolean).join(' ') : m.error)
        for (const line of (text ?? '').split('\n')) if (line.trim()) onLine(line.replace(/\s+$/, ''))
      },
    )
  })
}

async function ensureBaseImage(ctx: ServiceContext, base: string, onLine: (line: string) => void): Promise<void> {
  try {
    await ctx.docker.getImage(base).inspect()
    return
  } catch (e) {
    if (!isNotFound(e)) throw toClawkerError(e, `looking for the base image ${base}`)
  }
  onLine(`Pulling ${base}…`)
  try {
    await follow(ctx.docker, await ctx.docker.pull(base), onLine)
  } catch (e) {
    const { message, detail } = explainPullFailure(base, engineMessage(e))
    // The log's last line says why the build stopped, in words: not "Pulling…", nor the engine's text.
    onLine(message)
    throw new ClawkerError('image-missing', message, { field: 'image', detail, cause: e })
  }
}

export async function buildProjectImage(
  ctx: ServiceContext,
  opts: BuildOptions,
  onProgress: (line: string) => void = () => {},
): Promise<{ image: string }> {
  if (opts.project !== '') assertValidName('project', opts.project)
  const image = imageName(opts.project, ctx.prefix)
  const caCert = opts.caCertPath ? await readCaCert(opts.caCertPath) : Buffer.alloc(0)
  await ensureBaseImage(ctx, opts.baseImage, onProgress)
  const files = ['Dockerfile', 'entrypoint.sh', 'keeper.sh']
  const context = await tarBuffer([
    ...(await Promise.all(
      files.map(async (name) => ({ name, mode: name === 'Dockerfile' ? 0o644 : 0o755, content: await readFile(resourcePath(name)) })),
    )),
    // Always present (the Dockerfile copies it); empty without a certificate.
    { name: 'extra-ca.crt', mode: 0o644, content: caCert },
  ])
  let stream: NodeJS.ReadableStream
  try {
    stream = await ctx.docker.buildImage(context as unknown as NodeJS.ReadableStream, {
      t: image,
      buildargs: {
        BASE_IMAGE: opts.baseImage,
        INSTALL_CLAUDE_CODE: String(opts.installClaudeCode),
        EXTRA_PACKAGES: opts.extraPackages.join(' '),
        EXTRA_CA_CERT: caCert.length > 0 ? 'true' : '',
      },
      labels: imageLabels({ project: opts.project, version: ctx.appVersion, created: ctx.now() }),
      rm: true,
      forcerm: true,
      ...(opts.networkMode ? { networkmode: opts.networkMode } : {}),
    })
  } catch (e) {
    if (isEngineUnreachable(e)) throw toClawkerError(e, `building ${image}`)
    const { message, detail } = explainBuildFailure({ image, base: opts.baseImage, raw: engineMessage(e), log: [] })
    onProgress(message)
    throw new ClawkerError('engine-refused', message, { detail, cause: e })
  }
  // The template's own "clawker: ..." lines and the step say why better than the engine's
  // "The command '/bin/sh -c <the whole step>' returned a non-zero code", which is kept as the detail.
  const log: string[] = []
  try {
    await follow(ctx.docker, stream, (line) => {
      log.push(line)
      if (log.length > 400) log.splice(0, 200)
      onProgress(line)
    })
  } catch (e) {
    if (isEngineUnreachable(e)) throw toClawkerError(e, `building ${image}`)
    const { message, detail } = explainBuildFailure({ image, base: opts.baseImage, raw: engineMessage(e), log })
    onProgress(message)
    throw new ClawkerError('engine-refused', message, { detail, cause: e })
  }
  return { image }
}

export async function imageExists(ctx: ServiceContext, name: string): Promise<boolean> {
  try {
    await ctx.docker.getImage(name).inspect()
    return true
  } catch (e) {
    if (isNotFound(e)) return false
    throw toClawkerError(e, `looking for the image ${name}`)
  }
}

/** Every tagged image on the engine (one request), ours marked, for the image picker. */
export async function listImages(ctx: ServiceContext): Promise<ImageSummary[]> {
  let images: Docker.ImageInfo[]
  try {
    images = await ctx.docker.listImages()
  } catch (e) {
    throw toClawkerError(e, 'listing images')
  }
  return images
    .map((i) => {
      const labels = i.Labels ?? {}
      const tags = (i.RepoTags ?? []).filter((t) => t !== '<none>:<none>')
      return {
        id: i.Id,
        tags,
        managed: labels[LABEL.managed] === 'true',
        project: labels[LABEL.project] ?? null,
        created: labels[LABEL.created] ?? new Date(i.Created * 1000).toISOString(),
        size: i.Size,
      }
    })
    .filter((i) => i.tags.length > 0)
    .sort((a, b) => Number(b.managed) - Number(a.managed) || a.tags[0]!.localeCompare(b.tags[0]!))
}
