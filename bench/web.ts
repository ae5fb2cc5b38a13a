/** The browser mode as a user starts it (`node out/main/web.js`), past the first-run wizard. */
import { readdirSync, readFileSync, readlinkSync } from 'node:fs'
import { spawnWebApp } from '../test/harness/webProcess'

export interface WebProcess {
  url: string
  pid: number
  /** From spawn to the address printed. */
  startupMs: number
  /** Resident set size of the process, in MB (Linux /proc). */
  rssMb(): number
  /** Open sockets of the process (Linux /proc): engine connections, attaches, the page's socket. */
  sockets(): number
  stop(): Promise<void>
}

export async function startWeb(env: { dockerHost: string; prefix: string }): Promise<WebProcess> {
  // As the e2e tests do: settings that say the first-run wizard was done, so it does not cover the list.
  const app = await spawnWebApp({ DOCKER_HOST: env.dockerHost, CLAWKER_NAME_PREFIX: env.prefix })
  const pid = app.child.pid!
  return {
    url: app.url,
    pid,
    startupMs: app.startupMs,
    rssMb: () => Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))![1]) / 1024,
    sockets: () =>
      readdirSync(`/proc/${pid}/fd`).filter((fd) => {
        try {
          return /^socket:/.test(readlinkSync(`/proc/${pid}/fd/${fd}`))
        } catch {
          return false
        }
      }).length,
    stop: app.stop,
  }
}
