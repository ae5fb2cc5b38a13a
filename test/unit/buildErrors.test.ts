import { describe, expect, it } from 'vitest'
import { explainBuildFailure, explainPullFailure, failedStep } from '../../src/main/services/buildErrors'

const RAW_URL = /https?:\/\/|registry-1|dial tcp|no such host|non-zero code|\/bin\/sh -c/

describe('a base image that cannot be pulled, in words', () => {
  it('says the engine cannot reach the registry, with the engine text apart', () => {
    const raw = 'Get "https://registry-1.docker.io/v2/": dial tcp: lookup registry-1.docker.io on 127.0.0.53:53: no such host'
    const e = explainPullFailure('node:22', raw)
    expect(e.message).toBe("node:22 is not on this engine and cannot be pulled: pick a local base image, or check the engine's network")
    expect(e.message).not.toMatch(RAW_URL)
    expect(e.detail).toBe(raw)
  })
  it('says a registry without the image (or wanting a login) is that, not the network', () => {
    const e = explainPullFailure('acme/privatebase:1', 'pull access denied for acme/privatebase, repository does not exist or may require \'docker login\': denied: requested access to the resource is denied')
    expect(e.message).toMatch(/registry has no such image or wants a login: check the name/)
  })
  it('says image names are lowercase', () => {
    expect(explainPullFailure('Debian:12', 'invalid reference format: repository name must be lowercase').message).toMatch(/image names are lowercase/)
  })
})

describe('a failed build, in words', () => {
  const image = 'clawker-demo:latest'
  it('says a project image name must be lowercase', () => {
    const e = explainBuildFailure({ image: 'clawker-Demo:latest', base: 'debian:12', raw: 'invalid reference format: repository name must be lowercase', log: [] })
    expect(e.message).toBe('clawker-Demo:latest is not an image name the engine accepts: image names are lowercase. Use a lowercase project name.')
  })
  it('says a base with no shell or users (scratch) cannot run the template, whichever the engine reports', () => {
    for (const raw of [
      'unable to find user root: no matching entries in passwd file',
      'OCI runtime create failed: container_linux.go:380: starting container process caused: exec: "/bin/sh": stat /bin/sh: no such file or directory: unknown',
    ]) {
      const e = explainBuildFailure({ image, base: 'scratchy:1', raw, log: ['Step 1/9 : ARG BASE_IMAGE=debian:bookworm-slim', 'Step 5/9 : RUN set -e; pkgs="$EXTRA_PACKAGES"'] })
      expect(e.message).toMatch(/^The base image scratchy:1 has no shell \(\/bin\/sh\) or no user list \(\/etc\/passwd\).*pick a base with a POSIX shell/)
      expect(e.detail).toBe(raw)
    }
  })
  it("names the failed step, and suggests the CA certificate field when the step's TLS was refused (npm behind a proxy)", () => {
    const log = [
      'Step 4/9 : RUN npm install -g some-tool',
      ' ---> Running in 0f3c',
      'npm ERR! code SELF_SIGNED_CERT_IN_CHAIN',
      'npm ERR! errno SELF_SIGNED_CERT_IN_CHAIN',
      'npm ERR! request to https://registry.npmjs.org/some-tool failed, reason: self signed certificate in certificate chain',
    ]
    const e = explainBuildFailure({ image, base: 'node:22', raw: "The command '/bin/sh -c npm install -g some-tool' returned a non-zero code: 1", log })
    expect(e.message).toBe(
      `Building ${image} failed: a step of the template did not succeed (step 4/9, RUN npm install -g some-tool). The step's TLS connection was refused, as behind a TLS-inspecting proxy: give the proxy's CA certificate in the CA certificate field.`,
    )
    expect(e.message).not.toMatch(RAW_URL)
    expect(e.detail).toContain('returned a non-zero code: 1')
  })
  it('suggests the build network field when the step could not resolve or reach a host', () => {
    for (const line of ['npm ERR! code ENOTFOUND', 'npm ERR! errno EAI_AGAIN', 'curl: (6) Could not resolve host: registry.npmjs.org']) {
      const e = explainBuildFailure({ image, base: 'node:22', raw: "The command '/bin/sh -c npm ci' returned a non-zero code: 1", log: ['Step 4/9 : RUN npm ci', line] })
      expect(e.message).toMatch(/\(step 4\/9, RUN npm ci\)\. The step could not reach the network: try host in the Build network field/)
    }
  })
  it("prefers the template's own line, and adds no advice it already gives", () => {
    const log = [
      'Step 5/9 : RUN set -e;     pkgs="$EXTRA_PACKAGES";     has_pm=""; if command -v apt-get',
      '\u001b[91mclawker: apt-get could not install: ca-certificates curl git: check the build network (or the base\'s sources)\n\u001b[0m',
      'Temporary failure resolving deb.debian.org',
    ]
    const e = explainBuildFailure({ image, base: 'debian:12', raw: "The command '/bin/sh -c set -e; pkgs=...' returned a non-zero code: 1", log })
    expect(e.message).toMatch(/^Building clawker-demo:latest failed: apt-get could not install: ca-certificates curl git: check the build network \(or the base's sources\) \(step 5\/9, RUN set -e; pkgs="\$EXTRA_PACKAGES"; [^)]*…\)\.$/)
  })
  it('shortens a long step and works without one', () => {
    expect(failedStep(['Step 12/12 : RUN ' + 'x'.repeat(200)])).toMatch(/^step 12\/12, RUN x+…$/)
    expect(failedStep(['no steps here'])).toBeUndefined()
    expect(explainBuildFailure({ image, base: 'b', raw: 'something odd', log: [] }).message).toBe(`Building ${image} failed: the engine stopped the build.`)
  })
})
