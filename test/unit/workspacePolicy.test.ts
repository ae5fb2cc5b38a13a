import { describe, expect, it } from 'vitest'
import { workspaceProblem } from '../../src/main/policy/workspace'

const linux = (realPath: string, engineSocket = '/run/docker.sock') => workspaceProblem({ realPath, home: '/home/me', engineSocket, platform: 'linux' })
const mac = (realPath: string) => workspaceProblem({ realPath, home: '/Users/me', engineSocket: '/Users/me/.docker/run/docker.sock', platform: 'darwin' })

describe('workspace policy', () => {
  it.each(['/', '/bin', '/boot', '/dev', '/etc', '/home', '/lib', '/lib64', '/opt', '/proc', '/root', '/run', '/sbin', '/srv', '/sys', '/usr', '/var'])('refuses %s itself', (p) => {
    expect(linux(p)).toMatch(/cannot be a workspace/)
  })

  it.each(['/etc/ssl', '/run/user/1000', '/var/run/x', '/var/lib/docker/volumes', '/proc/1', '/sys/fs', '/dev/shm', '/boot/efi'])('refuses %s under a system tree', (p) => {
    expect(linux(p)).toMatch(/cannot be a workspace: it is in \//)
  })

  it('refuses the home folder itself and the folders that hold the engine socket', () => {
    expect(linux('/home/me')).toMatch(/whole home folder/)
    expect(linux('/srv/engines', '/srv/engines/docker.sock')).toMatch(/holds the Docker engine's socket/)
    expect(linux('/srv', '/srv/engines/docker.sock')).toMatch(/socket|system/)
  })

  it.each(['/home/me/src/app', '/opt/work/app', '/srv/app', '/tmp/project', '/home/me/.local/share/x'])('takes %s', (p) => {
    expect(linux(p)).toBeUndefined()
  })

  it('knows the macOS equivalents', () => {
    expect(mac('/System/Library')).toMatch(/in \/System/)
    expect(mac('/Library/Keychains')).toMatch(/in \/Library/)
    expect(mac('/private/etc')).toMatch(/in \/private\/etc/)
    expect(mac('/Users/me')).toMatch(/whole home folder/)
    expect(mac('/Users/me/.docker/run')).toMatch(/socket/)
    expect(mac('/Users/me/src/app')).toBeUndefined()
  })
})
