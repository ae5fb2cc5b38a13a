import { describe, expect, it } from 'vitest'
import { currentContextHost, dockerFromHost, engineCandidates, type DiscoveryEnv } from '../../src/main/docker/connection'

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
    expect(currentContextHost(d)).toEqual({ source: 'docker context colima', host: 'unix:///home/u/.colima/default/docker.sock' })
    expect(engineCandidates(d)[0]).toEqual({ source: 'docker context colima', host: 'unix:///home/u/.colima/default/docker.sock' })
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
