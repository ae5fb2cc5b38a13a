/**
 * One real engine for the browser tests (a private dockerd where none answers)
 * and a name prefix unique to the run; the built app is required (npm run build).
 */
import { randomBytes } from 'node:crypto'
import { existsSync } from 'node:fs'
import { acquireEngine, dockerFor } from '../../test/harness/engine'
import { ensureBaseImage } from '../../test/harness/images'
import { leftovers, removeByPrefix } from '../../test/harness/cleanup'
import { agentTestImage } from '../../test/harness/agentImage'

export default async function globalSetup(): Promise<() => Promise<void>> {
  if (!existsSync('out/main/web.js') || !existsSync('out/renderer/index.html')) {
    throw new Error('The app is not built: run `npm run build` first (npm test does).')
  }
  const engine = await acquireEngine()
  const prefix = `clawkere2e${randomBytes(3).toString('hex')}`
  process.env.E2E_DOCKER_HOST = engine.dockerHost
  process.env.E2E_NAME_PREFIX = prefix
  process.env.E2E_BASE_IMAGE = await ensureBaseImage(dockerFor(engine))
  // An agent image from the app's own Dockerfile template (busybox base, no Claude Code).
  const agentProject = `e2e${prefix.slice(-6)}`
  process.env.E2E_AGENT_IMAGE = await agentTestImage(dockerFor(engine), prefix, process.env.E2E_BASE_IMAGE, agentProject)
  console.log(`[e2e] engine ${engine.private ? 'private dockerd' : 'reused'} at ${engine.dockerHost}, prefix ${prefix}`)
  return async () => {
    try {
      const docker = dockerFor(engine)
      await removeByPrefix(docker, prefix)
      // The run cleans up after itself: anything it made and could not remove is a defect.
      const left = await leftovers(docker, prefix, [agentProject])
      if (left.length) throw new Error(`the browser tests left ${left.length} thing(s) behind: ${left.join('; ')}`)
    } finally {
      await engine.stop()
    }
  }
}
