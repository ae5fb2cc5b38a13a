/**
 * Building the agent image where the network is not the internet: a base that is
 * not on the engine fails with a line saying what to do (and the log ends on it,
 * not on "Pulling…"); a CA certificate file read in main lands in the image and
 * is given to Claude Code through NODE_EXTRA_CA_CERTS; a file that is not one is refused.
 */
import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { serviceContext } from '../../src/main/services/context'
import { buildProjectImage } from '../../src/main/services/images'
import { execIn } from '../harness/containers'
import { baseImage, testDocker, testPrefix, uniqueProject } from '../harness/context'

const docker = testDocker()
const prefix = `${testPrefix()}b`
const ctx = serviceContext(docker, { prefix })
const dir = mkdtempSync(join(tmpdir(), 'clawker-ca-'))

describe('building the agent image', () => {
  it('says what to do when the base image is not on the engine and cannot be pulled; the log ends on it', async () => {
    const base = `clawker-no-such-base-${Date.now()}:latest`
    const lines: string[] = []
    const err = await buildProjectImage(
      ctx,
      { project: uniqueProject('nobase'), baseImage: base, installClaudeCode: false, extraPackages: [], networkMode: 'none' },
      (l) => lines.push(l),
    ).catch((e: unknown) => e)
    expect(err).toMatchObject({
      code: 'image-missing',
      field: 'image',
      message: `${base} is not on this engine and cannot be pulled: pick a local base image, or check the engine's network`,
    })
    // The engine's own text is kept apart, for the form to show on request.
    expect((err as { detail?: string }).detail).toMatch(/\S/)
    expect(lines.some((l) => l.startsWith('Pulling'))).toBe(true)
    expect(lines.at(-1)).toBe((err as Error).message)
    expect(lines.join('\n')).toContain('pick a local base image')
  }, 120_000)

  it('puts the CA certificate file into the image and names it in NODE_EXTRA_CA_CERTS', async () => {
    const key = join(dir, 'ca.key')
    const cert = join(dir, 'ca.pem')
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert, '-days', '1', '-subj', '/CN=clawker test proxy CA'], {
      stdio: 'ignore',
    })
    const lines: string[] = []
    const { image } = await buildProjectImage(
      ctx,
      { project: uniqueProject('ca'), baseImage: baseImage(), installClaudeCode: false, extraPackages: [], networkMode: 'none', caCertPath: cert },
      (l) => lines.push(l),
    )
    const info = await docker.getImage(image).inspect()
    expect(info.Config.Env).toContain('NODE_EXTRA_CA_CERTS=/usr/local/share/clawker/extra-ca.crt')
    const c = await docker.createContainer({ Image: image, Entrypoint: ['sleep'], Cmd: ['60'], HostConfig: { NetworkMode: 'none', AutoRemove: true } })
    await c.start()
    try {
      const out = await execIn(c, ['cat', '/usr/local/share/clawker/extra-ca.crt'])
      expect(out.stdout).toBe(readFileSync(cert, 'utf8'))
    } finally {
      await c.kill().catch(() => {})
    }
    // The busybox base has no trust store tool: the build says so instead of failing.
    expect(lines.join('\n')).toContain('no update-ca-certificates in the base')
  }, 180_000)

  it('leaves NODE_EXTRA_CA_CERTS empty without a certificate', async () => {
    const { image } = await buildProjectImage(ctx, {
      project: uniqueProject('noca'),
      baseImage: baseImage(),
      installClaudeCode: false,
      extraPackages: [],
      networkMode: 'none',
    })
    const env = (await docker.getImage(image).inspect()).Config.Env ?? []
    expect(env.filter((e) => e.startsWith('NODE_EXTRA_CA_CERTS=') && e !== 'NODE_EXTRA_CA_CERTS=')).toEqual([])
  }, 180_000)

  it("fails a build step with the template's own line, not the whole shell command, and the log ends on it", async () => {
    const lines: string[] = []
    const err = await buildProjectImage(
      ctx,
      { project: uniqueProject('nopm'), baseImage: baseImage(), installClaudeCode: true, extraPackages: [], networkMode: 'none' },
      (l) => lines.push(l),
    ).catch((e: unknown) => e)
    expect(err).toMatchObject({ code: 'engine-refused' })
    expect((err as Error).message).toMatch(/failed: no apt-get or apk in the base image; cannot install: .*curl/)
    expect((err as Error).message).not.toContain('/bin/sh -c')
    expect(lines.at(-1)).toMatch(/failed: no apt-get or apk/)
  }, 180_000)

  it('refuses a CA file that is not a PEM certificate, before asking the engine anything', async () => {
    const bad = join(dir, 'not-a-cert.txt')
    writeFileSync(bad, 'hello\n')
    await expect(
      buildProjectImage(ctx, { project: uniqueProject('badca'), baseImage: baseImage(), installClaudeCode: false, extraPackages: [], caCertPath: bad }),
    ).rejects.toMatchObject({ code: 'invalid-input', field: 'caCert' })
  })
})
