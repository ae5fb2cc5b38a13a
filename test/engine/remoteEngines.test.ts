/**
 * Remote engines with real parts: a dockerd on a loopback TCP port with
 * --tlsverify (through DOCKER_HOST/DOCKER_CERT_PATH and through a docker
 * context), and the same engine behind an sshd reached as ssh://root@127.0.0.1.
 * Needs root on Linux with dockerd, openssl and openssh-server: the test harness
 * starts all of them itself.
 */
import { execFileSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest'
import { dockerFromHost, engineCandidates, systemDiscoveryEnv, type DiscoveryEnv } from '../../src/main/docker/connection'
import { EngineMonitor } from '../../src/main/docker/monitor'
import type { EngineStatus } from '../../src/shared/contract'
import { canStartPrivateDockerd } from '../harness/engine'
import { canStartSshd, startSshd, startTlsDockerd, type SshEngine, type TlsEngine } from '../harness/remoteEngines'
import { testPrefix } from '../harness/context'

const discovery = (env: NodeJS.ProcessEnv, home = mkdtempSync(join(tmpdir(), 'clk-home-'))): DiscoveryEnv => ({ ...systemDiscoveryEnv(), env, home })

describe.skipIf(!canStartPrivateDockerd())('remote engines', () => {
  let tls: TlsEngine
  let ssh: SshEngine | undefined

  beforeAll(async () => {
    tls = await startTlsDockerd()
    if (canStartSshd()) ssh = await startSshd(tls.unixHost)
  }, 120_000)

  afterAll(async () => {
    await ssh?.stop()
    await tls?.stop()
  })

  it('reaches a TLS engine through DOCKER_HOST, DOCKER_TLS_VERIFY and DOCKER_CERT_PATH', async () => {
    const d = discovery({ DOCKER_HOST: tls.host, DOCKER_TLS_VERIFY: '1', DOCKER_CERT_PATH: tls.clientDir })
    const [candidate] = engineCandidates(d)
    expect(candidate).toMatchObject({ source: 'DOCKER_HOST', host: tls.host, tls: { dir: tls.clientDir, verify: true } })
    const docker = dockerFromHost(candidate!.host, { tls: candidate!.tls, discovery: d })
    expect(String(await docker.ping())).toBe('OK')
    expect((await docker.version()).ApiVersion).toMatch(/^\d+\.\d+$/)
  })

  it('does not speak plain http to it, and says TLS when the certificate is not trusted', async () => {
    const monitorFor = async (env: NodeJS.ProcessEnv) => {
      const statuses: EngineStatus[] = []
      const d = discovery(env)
      const monitor = new EngineMonitor({ candidates: () => engineCandidates(d), onStatus: (s) => statuses.push(s), onEvent: () => {}, retryMs: 60_000 })
      await monitor.start()
      await monitor.stop()
      return monitor.status
    }
    const wrongCa = await monitorFor({ DOCKER_HOST: tls.host, DOCKER_TLS_VERIFY: '1', DOCKER_CERT_PATH: tls.wrongCaDir })
    expect(wrongCa).toMatchObject({ state: 'unavailable', tried: [{ source: 'DOCKER_HOST', error: expect.stringMatching(/^TLS:/) }] })
    const plain = await monitorFor({ DOCKER_HOST: tls.host })
    expect(plain.state).toBe('unavailable')
  })

  it('reaches it through a docker context and its TLS material, as `docker context create` stores them', async () => {
    const home = mkdtempSync(join(tmpdir(), 'clk-home-'))
    const id = createHash('sha256').update('buildbox').digest('hex')
    const docker = join(home, '.docker')
    mkdirSync(join(docker, 'contexts', 'meta', id), { recursive: true })
    mkdirSync(join(docker, 'contexts', 'tls', id, 'docker'), { recursive: true })
    writeFileSync(join(docker, 'contexts', 'meta', id, 'meta.json'), JSON.stringify({ Name: 'buildbox', Metadata: {}, Endpoints: { docker: { Host: tls.host, SkipTLSVerify: false } } }))
    for (const f of ['ca.pem', 'cert.pem', 'key.pem']) writeFileSync(join(docker, 'contexts', 'tls', id, 'docker', f), readFileSync(join(tls.clientDir, f)))
    writeFileSync(join(docker, 'config.json'), JSON.stringify({ currentContext: 'buildbox' }))
    const d = discovery({}, home)
    const [candidate] = engineCandidates(d)
    expect(candidate).toMatchObject({ source: 'docker context buildbox', context: 'buildbox' })
    expect(String(await dockerFromHost(candidate!.host, { tls: candidate!.tls, discovery: d }).ping())).toBe('OK')
  })

  it('reaches the engine over ssh with the agent and a checked host key, and refuses an unknown host', async (ctx) => {
    if (!ssh) return ctx.skip('needs openssh-server (sshd) and root')
    const d = discovery({ SSH_AUTH_SOCK: ssh.agentSocket, USER: 'root' }, ssh.home)
    const docker = dockerFromHost(ssh.host, { discovery: d })
    expect(String(await docker.ping())).toBe('OK')
    expect((await docker.version()).ApiVersion).toMatch(/^\d+\.\d+$/)
    expect(Array.isArray(await docker.listContainers({ all: true }))).toBe(true)

    const stranger = dockerFromHost(ssh.host, { discovery: discovery({ SSH_AUTH_SOCK: ssh.agentSocket }) })
    const refused = await stranger.ping().then(() => null, (e: unknown) => e)
    expect(refused).not.toBeNull()
    const { connectionProblem } = await import('../../src/main/docker/errors')
    expect(connectionProblem(refused)).toMatch(/^SSH host key:/)
  })

  it('keeps one SSH login for many requests, at once or one after another, with an event stream open beside them', async (ctx) => {
    if (!ssh) return ctx.skip('needs openssh-server (sshd) and root')
    const docker = dockerFromHost(ssh.host, { discovery: discovery({ SSH_AUTH_SOCK: ssh.agentSocket, USER: 'root' }, ssh.home) })
    const before = ssh.logins()
    const events = (await docker.getEvents({ filters: { type: ['volume'] } })) as NodeJS.ReadableStream & { destroy(): void }
    const name = `${testPrefix()}-ssh-events`
    const seen = new Promise<void>((resolve) =>
      events.on('data', (chunk: Buffer) => {
        if (chunk.toString().includes(name)) resolve()
      }),
    )
    // A kept connection is used again and again: Node's listeners on it must not pile up.
    const warnings: string[] = []
    const onWarning = (w: Error) => warnings.push(`${w.name}: ${w.message}`)
    process.on('warning', onWarning)
    for (let i = 0; i < 15; i++) await docker.ping()
    await Promise.all(Array.from({ length: 20 }, () => docker.listContainers({ all: true })))
    await new Promise((r) => setImmediate(r))
    process.off('warning', onWarning)
    expect(warnings.filter((w) => w.startsWith('MaxListenersExceededWarning'))).toEqual([])
    // The event stream survived the other requests: a change made now still arrives on it.
    await docker.createVolume({ Name: name })
    await seen
    events.destroy()
    await docker.getVolume(name).remove()
    // docker-modem's own transport logs in once a request (over 30 here); channels share a login,
    // eight to a connection (OpenSSH allows ten sessions on one).
    expect(ssh.logins() - before).toBeLessThanOrEqual(3)
    ;(docker.modem as unknown as { agent: { destroy(): void } }).agent.destroy()
  })

  it('gives up a kept SSH connection whose peer goes quiet (a laptop asleep, a NAT mapping dropped), and logs in anew', async (ctx) => {
    if (!ssh) return ctx.skip('needs openssh-server (sshd) and root')
    const docker = dockerFromHost(ssh.host, {
      discovery: discovery({ SSH_AUTH_SOCK: ssh.agentSocket, USER: 'root' }, ssh.home),
      sshKeepalive: { intervalMs: 200, countMax: 2 },
    })
    const agent = (docker.modem as unknown as { agent: { destroy(): void; openConnections(): number } }).agent
    const frozen: number[] = []
    // Also when a request hangs and the test times out: no frozen process outlives it.
    onTestFinished(() => {
      for (const pid of frozen) process.kill(pid, 'SIGKILL')
      agent.destroy()
    })
    await docker.ping()
    // The server side of that connection stops answering: its TCP connection stays up, nothing replies.
    frozen.push(...ssh.sessionPids())
    expect(frozen.length).toBeGreaterThan(0)
    for (const pid of frozen) process.kill(pid, 'SIGSTOP')
    // Without checks the connection is kept for ever, and every request on it waits with it.
    await expect.poll(() => agent.openConnections(), { timeout: 5000 }).toBe(0)
    expect(String(await docker.ping())).toBe('OK')
  }, 20_000)

  it('logs in with the agent when the default key is locked by a passphrase', async (ctx) => {
    if (!ssh) return ctx.skip('needs openssh-server (sshd) and root')
    const home = mkdtempSync(join(tmpdir(), 'clk-home-locked-'))
    mkdirSync(join(home, '.ssh'))
    writeFileSync(join(home, '.ssh', 'known_hosts'), readFileSync(join(ssh.home, '.ssh', 'known_hosts')))
    execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', 'not-given', '-f', join(home, '.ssh', 'id_ed25519')], { stdio: 'ignore' })
    const docker = dockerFromHost(ssh.host, { discovery: discovery({ SSH_AUTH_SOCK: ssh.agentSocket, USER: 'root' }, home) })
    try {
      expect(String(await docker.ping())).toBe('OK')
    } finally {
      ;(docker.modem as unknown as { agent: { destroy(): void } }).agent.destroy()
    }
  })

  it("says in the remote's words why dial-stdio failed (no engine behind the sshd), not 'socket hang up'", async (ctx) => {
    if (!ssh) return ctx.skip('needs openssh-server (sshd) and root')
    const nowhere = await startSshd('unix:///nonexistent/docker.sock')
    const docker = dockerFromHost(nowhere.host, { discovery: discovery({ SSH_AUTH_SOCK: nowhere.agentSocket, USER: 'root' }, nowhere.home) })
    try {
      await expect(docker.ping()).rejects.toThrow(/^docker system dial-stdio on the engine's host failed \(exit 1\): .*\/nonexistent\/docker\.sock/)
    } finally {
      ;(docker.modem as unknown as { agent: { destroy(): void } }).agent.destroy()
      await nowhere.stop()
    }
  })
})
