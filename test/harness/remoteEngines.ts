/**
 * Engines reached the way remote ones are: a dockerd of the harness's own on a
 * loopback TCP port with --tlsverify and certificates made here with openssl,
 * and an sshd (Debian's openssh-server) on a loopback port, with a throw-away
 * key held by an ssh-agent, in front of an engine. Nothing leaves 127.0.0.1.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process'
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { startPrivateDockerd } from './engine'

/** A free loopback port (asked of the kernel, then released). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer()
    srv.once('error', reject)
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as { port: number }).port
      srv.close(() => resolve(port))
    })
  })
}

const openssl = (cwd: string, ...args: string[]) => execFileSync('openssl', args, { cwd, stdio: ['ignore', 'ignore', 'pipe'] })

/** A CA, a server certificate for 127.0.0.1 and a client certificate, as `docker` expects them (ca.pem, cert.pem, key.pem). */
export function makeTlsMaterial(dir: string, name = 'ca'): { caDir: string; clientDir: string; server: { ca: string; cert: string; key: string } } {
  mkdirSync(dir, { recursive: true })
  const ca = join(dir, name)
  mkdirSync(ca)
  openssl(ca, 'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2', '-subj', '/CN=clawker-test-ca', '-keyout', 'ca-key.pem', '-out', 'ca.pem')
  openssl(ca, 'req', '-newkey', 'rsa:2048', '-nodes', '-subj', '/CN=127.0.0.1', '-keyout', 'server-key.pem', '-out', 'server.csr')
  writeFileSync(join(ca, 'server.ext'), 'subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n')
  openssl(ca, 'x509', '-req', '-in', 'server.csr', '-CA', 'ca.pem', '-CAkey', 'ca-key.pem', '-CAcreateserial', '-days', '2', '-extfile', 'server.ext', '-out', 'server-cert.pem')
  openssl(ca, 'req', '-newkey', 'rsa:2048', '-nodes', '-subj', '/CN=client', '-keyout', 'key.pem', '-out', 'client.csr')
  writeFileSync(join(ca, 'client.ext'), 'extendedKeyUsage=clientAuth\n')
  openssl(ca, 'x509', '-req', '-in', 'client.csr', '-CA', 'ca.pem', '-CAkey', 'ca-key.pem', '-CAcreateserial', '-days', '2', '-extfile', 'client.ext', '-out', 'cert.pem')
  const clientDir = join(dir, `${name}-client`)
  mkdirSync(clientDir)
  for (const f of ['ca.pem', 'cert.pem', 'key.pem']) writeFileSync(join(clientDir, f), readFileSync(join(ca, f)))
  return { caDir: ca, clientDir, server: { ca: join(ca, 'ca.pem'), cert: join(ca, 'server-cert.pem'), key: join(ca, 'server-key.pem') } }
}

export interface TlsEngine {
  /** tcp://127.0.0.1:<port> */
  host: string
  /** The engine's own unix socket (for set-up through the plain client). */
  unixHost: string
  /** ca.pem, cert.pem and key.pem that the engine trusts. */
  clientDir: string
  /** The same client certificate, but a CA that did not sign the engine's certificate. */
  wrongCaDir: string
  stop(): Promise<void>
}

export async function startTlsDockerd(): Promise<TlsEngine> {
  const dir = mkdtempSync(join(tmpdir(), 'clk-tls-'))
  const good = makeTlsMaterial(dir, 'good')
  const other = makeTlsMaterial(dir, 'other')
  const wrongCaDir = join(dir, 'wrong-ca')
  mkdirSync(wrongCaDir)
  writeFileSync(join(wrongCaDir, 'ca.pem'), readFileSync(join(other.caDir, 'ca.pem')))
  writeFileSync(join(wrongCaDir, 'cert.pem'), readFileSync(join(good.clientDir, 'cert.pem')))
  writeFileSync(join(wrongCaDir, 'key.pem'), readFileSync(join(good.clientDir, 'key.pem')))
  const port = await freePort()
  const host = `tcp://127.0.0.1:${port}`
  mkdirSync(join(dir, 'd'))
  const engine = await startPrivateDockerd(join(dir, 'd'), [
    '--host', host,
    '--tlsverify', '--tlscacert', good.server.ca, '--tlscert', good.server.cert, '--tlskey', good.server.key,
  ])
  return {
    host,
    unixHost: engine.dockerHost,
    clientDir: good.clientDir,
    wrongCaDir,
    stop: async () => {
      await engine.stop()
      rmSync(dir, { recursive: true, force: true })
    },
  }
}

export interface SshEngine {
  /** ssh://root@127.0.0.1:<port> */
  host: string
  /** A HOME whose .ssh/known_hosts holds the server's key (and no private key: the agent has it). */
  home: string
  /** SSH_AUTH_SOCK of the agent that holds the login key. */
  agentSocket: string
  /** SSH logins the server has accepted so far (from its log). */
  logins(): number
  /** The processes serving the connections open now (sshd's descendants), to freeze a peer with SIGSTOP. */
  sessionPids(): number[]
  stop(): Promise<void>
}

/** Every descendant of `root`, from /proc. */
function descendants(root: number): number[] {
  const children = new Map<number, number[]>()
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue
    try {
      // The parent is the 2nd field after the command, which is in parentheses and may hold spaces.
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8')
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1])
      children.set(ppid, [...(children.get(ppid) ?? []), Number(entry)])
    } catch {
      /* gone meanwhile */
    }
  }
  const out: number[] = []
  const walk = (pid: number) => (children.get(pid) ?? []).forEach((c) => (out.push(c), walk(c)))
  walk(root)
  return out
}

/** Whether this machine can run the sshd front (Debian's openssh-server and -client, as root). */
export function canStartSshd(): boolean {
  try {
    execFileSync('/usr/sbin/sshd', ['-V'], { stdio: 'ignore' })
  } catch (e) {
    // `sshd -V` is not an option everywhere; an unknown option still proves the binary runs.
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return false
  }
  return process.getuid?.() === 0 && process.platform === 'linux'
}

/** An sshd on a loopback port whose sessions reach `dockerHost` (the remote side runs `docker system dial-stdio`). */
export async function startSshd(dockerHost: string): Promise<SshEngine> {
  const dir = mkdtempSync(join(tmpdir(), 'clk-sshd-'))
  const keygen = (file: string) => execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', join(dir, file)], { stdio: 'ignore' })
  keygen('host_key')
  keygen('user_key')
  writeFileSync(join(dir, 'authorized_keys'), readFileSync(join(dir, 'user_key.pub')))
  const port = await freePort()
  mkdirSync('/run/sshd', { recursive: true, mode: 0o755 })
  writeFileSync(
    join(dir, 'sshd_config'),
    [
      `Port ${port}`,
      'ListenAddress 127.0.0.1',
      `HostKey ${join(dir, 'host_key')}`,
      `AuthorizedKeysFile ${join(dir, 'authorized_keys')}`,
      `PidFile ${join(dir, 'sshd.pid')}`,
      'PasswordAuthentication no',
      'KbdInteractiveAuthentication no',
      'PermitRootLogin prohibit-password',
      'StrictModes no',
      'UsePAM no',
      `SetEnv DOCKER_HOST=${dockerHost}`,
      '',
    ].join('\n'),
  )
  const sshd: ChildProcess = spawn('/usr/sbin/sshd', ['-D', '-e', '-f', join(dir, 'sshd_config')], { stdio: ['ignore', 'ignore', 'pipe'] })
  let log = ''
  sshd.stderr!.on('data', (c: Buffer) => (log += c.toString()))
  const agentSocket = join(dir, 'agent.sock')
  const agentOut = execFileSync('ssh-agent', ['-a', agentSocket], { encoding: 'utf8' })
  const agentPid = Number(/SSH_AGENT_PID=(\d+)/.exec(agentOut)?.[1])
  execFileSync('ssh-add', ['-q', join(dir, 'user_key')], { env: { ...process.env, SSH_AUTH_SOCK: agentSocket }, stdio: 'ignore' })
  const home = join(dir, 'home')
  mkdirSync(join(home, '.ssh'), { recursive: true })
  const [type, key] = readFileSync(join(dir, 'host_key.pub'), 'utf8').trim().split(/\s+/)
  writeFileSync(join(home, '.ssh', 'known_hosts'), `[127.0.0.1]:${port} ${type} ${key}\n`)
  // Ready when it listens.
  const deadline = Date.now() + 15_000
  while (!/Server listening/.test(log)) {
    if (sshd.exitCode !== null || Date.now() > deadline) {
      sshd.kill('SIGKILL')
      throw new Error(`sshd did not start:\n${log}`)
    }
    await new Promise((r) => setTimeout(r, 50))
  }
  return {
    host: `ssh://root@127.0.0.1:${port}`,
    home,
    agentSocket,
    logins: () => log.match(/Accepted publickey/g)?.length ?? 0,
    sessionPids: () => descendants(sshd.pid!),
    stop: async () => {
      sshd.kill('SIGTERM')
      if (agentPid) process.kill(agentPid, 'SIGTERM')
      rmSync(dir, { recursive: true, force: true })
    },
  }
}
