import { describe, expect, it } from 'vitest'
import { createHmac } from 'node:crypto'
import Docker from 'dockerode'
import { utils as sshUtils } from 'ssh2'
import { connectionOptions, currentContextHost, dockerFromHost, engineCandidates, engineKey, envTls, knownHostMatches, listContexts, sshConnectConfig, SSH_KEEPALIVE, SSH_LOGIN_TIMEOUT_MS, type DiscoveryEnv } from '../../src/main/docker/connection'
import { connectionProblem } from '../../src/main/docker/errors'

function env(opts: { env?: NodeJS.ProcessEnv; files?: Record<string, string>; sockets?: string[]; platform?: NodeJS.Platform }): DiscoveryEnv {
  const files = opts.files ?? {}
  return {
    env: opts.env ?? {},
    home: '/home/u',
    platform: opts.platform ?? 'linux',
    exists: (p) => (opts.sockets ?? []).includes(p),
    readFile: (p) => files[p],
    readDir: (p) =>
      Object.keys(files)
        .filter((f) => f.startsWith(`${p}/`))
        .map((f) => f.slice(p.length + 1).split('/')[0]!),
  }
}

describe('engine discovery', () => {
  it('uses DOCKER_HOST alone when it is set', () => {
    expect(engineCandidates(env({ env: { DOCKER_HOST: 'tcp://10.0.0.1:2375' }, sockets: ['/var/run/docker.sock'] }))).toEqual([
      { source: 'DOCKER_HOST', host: 'tcp://10.0.0.1:2375' },
    ])
  })

  it('reads the current docker context', () => {
    const d = env({
      files: {
        '/home/u/.docker/config.json': '{"currentContext":"colima"}',
        '/home/u/.docker/contexts/meta/abc/meta.json': '{"Name":"colima","Endpoints":{"docker":{"Host":"unix:///home/u/.colima/default/docker.sock"}}}',
      },
    })
    const colima = { source: 'docker context colima', host: 'unix:///home/u/.colima/default/docker.sock', context: 'colima' }
    expect(currentContextHost(d)).toEqual(colima)
    expect(engineCandidates(d)[0]).toEqual(colima)
  })

  it('prefers DOCKER_CONTEXT to config.json and ignores the default context and broken files', () => {
    const files = {
      '/home/u/.docker/config.json': '{"currentContext":"a"}',
      '/home/u/.docker/contexts/meta/1/meta.json': '{"Name":"a","Endpoints":{"docker":{"Host":"unix:///a.sock"}}}',
      '/home/u/.docker/contexts/meta/2/meta.json': '{"Name":"b","Endpoints":{"docker":{"Host":"unix:///b.sock"}}}',
      '/home/u/.docker/contexts/meta/3/meta.json': '{broken',
    }
    expect(currentContextHost(env({ files, env: { DOCKER_CONTEXT: 'b' } }))?.host).toBe('unix:///b.sock')
    expect(currentContextHost(env({ files, env: { DOCKER_CONTEXT: 'default' } }))).toBeUndefined()
    expect(currentContextHost(env({ files: { '/home/u/.docker/config.json': 'not json' } }))).toBeUndefined()
  })

  it('tries the well-known sockets that exist, in order, and always names /var/run/docker.sock', () => {
    const d = env({
      env: { XDG_RUNTIME_DIR: '/run/user/1000' },
      sockets: ['/home/u/.orbstack/run/docker.sock', '/home/u/.docker/run/docker.sock', '/run/user/1000/podman/podman.sock'],
    })
    expect(engineCandidates(d).map((c) => c.source)).toEqual(['Docker Desktop', 'OrbStack', 'Podman', 'Docker'])
    expect(engineCandidates(env({})).map((c) => c.host)).toEqual(['unix:///var/run/docker.sock'])
  })

  it('uses the named pipe on Windows', () => {
    expect(engineCandidates(env({ platform: 'win32' }))).toEqual([{ source: 'Docker Desktop', host: 'npipe:////./pipe/docker_engine' }])
  })

  it('makes clients for unix, tcp and https addresses', () => {
    expect((dockerFromHost('unix:///var/run/docker.sock').modem as unknown as { socketPath: string }).socketPath).toBe('/var/run/docker.sock')
    const tcp = dockerFromHost('tcp://127.0.0.1:2375').modem as unknown as { host: string; port: number; protocol: string }
    expect([tcp.host, Number(tcp.port), tcp.protocol]).toEqual(['127.0.0.1', 2375, 'http'])
  })
})

describe('connections as the docker CLI makes them', () => {
  const tlsFiles = (dir: string) => ({ [`${dir}/ca.pem`]: 'CA', [`${dir}/cert.pem`]: 'CERT', [`${dir}/key.pem`]: 'KEY' })

  it('speaks TLS to tcp:// when DOCKER_TLS_VERIFY is set, with DOCKER_CERT_PATH, and plain http otherwise', () => {
    const d = env({ env: { DOCKER_HOST: 'tcp://box:2376', DOCKER_TLS_VERIFY: '1', DOCKER_CERT_PATH: '/certs' }, files: tlsFiles('/certs') })
    const [c] = engineCandidates(d)
    expect(c).toEqual({ source: 'DOCKER_HOST', host: 'tcp://box:2376', tls: { dir: '/certs', verify: true } })
    expect(connectionOptions(c!.host, { tls: c!.tls, discovery: d })).toEqual({ host: 'box', port: 2376, protocol: 'https', ca: 'CA', cert: 'CERT', key: 'KEY' })
    // Without TLS variables the docker CLI speaks plain http, whatever the port.
    expect(connectionOptions('tcp://box:2376', { discovery: env({}) })).toMatchObject({ protocol: 'http', port: 2376 })
    // DOCKER_TLS alone: encrypted, the certificate not checked; the default folder is ~/.docker.
    const loose = envTls(env({ env: { DOCKER_TLS: '1' } }))
    expect(loose).toEqual({ dir: '/home/u/.docker', verify: false })
    expect(connectionOptions('tcp://box:2376', { tls: loose, discovery: env({}) })).toMatchObject({ protocol: 'https', rejectUnauthorized: false })
  })

  it('dials ssh:// with the agent, a key and a host key check, over one kept SSH connection', () => {
    const key = sshUtils.generateKeyPairSync('ed25519').private
    const d = env({ env: { SSH_AUTH_SOCK: '/tmp/agent.sock', USER: 'me' }, files: { '/home/u/.ssh/id_ed25519': key } })
    const { config, address } = sshConnectConfig(new URL('ssh://deploy@build.example:2222'), d)
    expect(config).toMatchObject({ host: 'build.example', port: 2222, username: 'deploy', agent: '/tmp/agent.sock', privateKey: key })
    // The login has its own time; a kept connection is checked, so a peer gone quiet is noticed.
    expect(config).toMatchObject({ readyTimeout: SSH_LOGIN_TIMEOUT_MS, keepaliveInterval: SSH_KEEPALIVE.intervalMs, keepaliveCountMax: SSH_KEEPALIVE.countMax })
    expect(typeof config.hostVerifier).toBe('function')
    expect(address).toBe('ssh://deploy@build.example:2222')
    expect(sshConnectConfig(new URL('ssh://box'), d).config).toMatchObject({ port: 22, username: 'me' })
    // The client speaks HTTP through the SSH agent, and is cached as the ssh engine it is.
    const docker = new Docker(connectionOptions('ssh://deploy@build.example:2222', { discovery: d }))
    expect(engineKey(docker)).toBe('ssh://deploy@build.example:2222')
  })

  it('leaves out a key locked by a passphrase (the agent has it) and takes the next one', () => {
    const locked = sshUtils.generateKeyPairSync('ed25519', { passphrase: 'not-given', cipher: 'aes256-ctr', rounds: 16 }).private
    const plain = sshUtils.generateKeyPairSync('ecdsa', { bits: 256 }).private
    const only = env({ env: { SSH_AUTH_SOCK: '/tmp/agent.sock' }, files: { '/home/u/.ssh/id_ed25519': locked } })
    expect(sshConnectConfig(new URL('ssh://box'), only).config).not.toHaveProperty('privateKey')
    const both = env({ files: { '/home/u/.ssh/id_ed25519': locked, '/home/u/.ssh/id_ecdsa': plain } })
    expect(sshConnectConfig(new URL('ssh://box'), both).config.privateKey).toBe(plain)
  })

  it('refuses what is not an engine address, saying what is', () => {
    expect(() => connectionOptions('ftp://box')).toThrow(/ftp scheme is not an engine address/)
    expect(() => connectionOptions('not a url')).toThrow(/is not an engine address/)
  })

  it('checks host keys as OpenSSH writes known_hosts: plain, [host]:port and hashed', () => {
    const key = Buffer.from('a host key')
    const b64 = key.toString('base64')
    const salt = Buffer.from('0123456789abcdef0123')
    const hashed = `|1|${salt.toString('base64')}|${createHmac('sha1', salt).update('[10.0.0.5]:2222').digest('base64')}`
    const file = [`# comment`, `box,other ssh-ed25519 ${b64}`, `[127.0.0.1]:2200 ssh-ed25519 ${b64}`, `${hashed} ssh-ed25519 ${b64}`].join('\n')
    expect(knownHostMatches(file, 'box', 22, key)).toBe(true)
    expect(knownHostMatches(file, 'other', 22, key)).toBe(true)
    expect(knownHostMatches(file, '127.0.0.1', 2200, key)).toBe(true)
    expect(knownHostMatches(file, '10.0.0.5', 2222, key)).toBe(true)
    expect(knownHostMatches(file, '127.0.0.1', 22, key)).toBe(false)
    expect(knownHostMatches(file, 'box', 22, Buffer.from('another key'))).toBe(false)
    expect(knownHostMatches('', 'box', 22, key)).toBe(false)
  })

  it('lists docker contexts with their TLS material, as `docker context ls` does', () => {
    const files = {
      '/home/u/.docker/contexts/meta/h1/meta.json': '{"Name":"remote","Metadata":{"Description":"build box"},"Endpoints":{"docker":{"Host":"tcp://box:2376","SkipTLSVerify":false}}}',
      ...tlsFiles('/home/u/.docker/contexts/tls/h1/docker'),
      '/home/u/.docker/contexts/meta/h2/meta.json': '{"Name":"colima","Endpoints":{"docker":{"Host":"unix:///c.sock"}}}',
      '/home/u/.docker/config.json': '{"currentContext":"remote"}',
    }
    const d = env({ files })
    expect(listContexts(d)).toEqual([
      { name: 'colima', host: 'unix:///c.sock', description: '', skipTlsVerify: false },
      { name: 'remote', host: 'tcp://box:2376', description: 'build box', tlsDir: '/home/u/.docker/contexts/tls/h1/docker', skipTlsVerify: false },
    ])
    expect(engineCandidates(d)[0]).toEqual({ source: 'docker context remote', host: 'tcp://box:2376', context: 'remote', tls: { dir: '/home/u/.docker/contexts/tls/h1/docker', verify: true } })
  })

  it('names the kind of trouble when an engine cannot be reached', () => {
    expect(connectionProblem(Object.assign(new Error('getaddrinfo ENOTFOUND box'), { code: 'ENOTFOUND' }))).toMatch(/^DNS:/)
    expect(connectionProblem(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' }))).toMatch(/^refused:/)
    expect(connectionProblem(Object.assign(new Error('self-signed certificate in certificate chain'), { code: 'SELF_SIGNED_CERT_IN_CHAIN' }))).toMatch(/^TLS:/)
    expect(connectionProblem(new Error('All configured authentication methods failed'))).toMatch(/^auth:/)
    expect(connectionProblem(new Error('Host denied (verification failed)'))).toMatch(/^SSH host key:/)
  })
})

describe('engine keys', () => {
  it('tell engines apart by socket, or by scheme, user, host and port: never empty for a remote one', () => {
    const none = env({})
    expect(engineKey(dockerFromHost('unix:///var/run/docker.sock'))).toBe('unix:///var/run/docker.sock')
    const keys = ['tcp://a:2375', 'tcp://b:2375', 'ssh://me@a', 'ssh://me@a:2222', 'ssh://you@a'].map((h) => engineKey(dockerFromHost(h, { discovery: none })))
    expect(new Set(keys).size).toBe(keys.length)
  })
})
