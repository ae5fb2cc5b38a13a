/**
 * Which folders may become an agent's workspace. Enforced in the main process on
 * the folder's real path (symlinks resolved), whatever the window sent: a
 * workspace is mounted into a container, so `/`, the system's folders, the
 * engine's socket and the user's whole home folder are refused. Project folders
 * below those (`~/src/app`, `/opt/work/app`, `/srv/app`) are fine.
 */
import { dirname, posix } from 'node:path'

/** Refused as the folder itself (a project below them is fine). */
const SYSTEM_FOLDERS = ['/bin', '/boot', '/dev', '/etc', '/home', '/lib', '/lib32', '/lib64', '/libx32', '/opt', '/proc', '/root', '/run', '/sbin', '/srv', '/sys', '/usr', '/var', '/tmp']
/** Refused, and everything under them. */
const SYSTEM_TREES = ['/boot', '/dev', '/etc', '/proc', '/sys', '/run', '/var/run', '/var/lib/docker']
const MACOS_FOLDERS = ['/Applications', '/Library', '/System', '/Users', '/Volumes', '/private', '/private/var', '/private/tmp']
const MACOS_TREES = ['/System', '/Library', '/private/etc', '/private/var/run']

export interface WorkspaceFacts {
  /** The folder's real path (fs.realpath). */
  realPath: string
  /** The user's home folder (its real path). */
  home: string
  /** The engine's unix socket, when it has one on this computer (its real path). */
  engineSocket?: string
  platform: NodeJS.Platform
}

const under = (path: string, root: string) => path === root || path.startsWith(root.endsWith('/') ? root : `${root}/`)

/** Why this folder may not be a workspace, in words, or undefined when it may. */
export function workspaceProblem(f: WorkspaceFacts): string | undefined {
  if (f.platform === 'win32') return undefined // Docker Desktop shares only the folders its settings allow.
  const path = posix.normalize(f.realPath).replace(/\/+$/, '') || '/'
  const refuse = (why: string) => `${path} cannot be a workspace: ${why} Choose a project folder inside it instead.`
  if (path === '/') return refuse('it is the whole computer.')
  const folders = f.platform === 'darwin' ? [...SYSTEM_FOLDERS, ...MACOS_FOLDERS] : SYSTEM_FOLDERS
  const trees = f.platform === 'darwin' ? [...SYSTEM_TREES, ...MACOS_TREES] : SYSTEM_TREES
  const tree = trees.find((t) => under(path, t))
  if (tree) return `${path} cannot be a workspace: it is in ${tree}, a folder of the system that no agent may mount.`
  if (path === posix.normalize(f.home).replace(/\/+$/, '')) return refuse('it is your whole home folder (your keys, your other projects).')
  if (folders.includes(path)) return refuse('it is a folder of the system.')
  if (f.engineSocket) {
    // The folder that holds the engine's socket, or any folder above it: the socket is root on the host.
    for (let dir = dirname(f.engineSocket); ; dir = dirname(dir)) {
      if (path === dir) return `${path} cannot be a workspace: it holds the Docker engine's socket (${f.engineSocket}), which gives root on this computer.`
      if (dir === '/' || dir === '.') break
    }
  }
  return undefined
}
