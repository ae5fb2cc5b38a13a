/**
 * Vitest global setup for the engine tests: one real engine for the run (a
 * private dockerd when none answers), the base test image, and a name prefix
 * unique to this run so a user's real clawker resources are never touched.
 */
import { randomBytes } from 'node:crypto'
import type { TestProject } from 'vitest/node'
import { acquireEngine, dockerFor, type TestEngine } from './engine'
import { ensureBaseImage } from './images'
import { leftovers, removeByPrefix } from './cleanup'
import { agentTestImage } from './agentImage'

declare module 'vitest' {
  export interface ProvidedContext {
    dockerHost: string
    namePrefix: string
    baseImage: string
    agentImage: string
  }
}

let engine: TestEngine | undefined
let prefix = ''
let agentProject = ''

export async function setup(project: TestProject): Promise<void> {
  engine = await acquireEngine()
  prefix = `clawkertest${randomBytes(3).toString('hex')}`
  // Test workers start after this and inherit it (test/harness/containers.ts names its containers with it).
  process.env.CLAWKER_TEST_RUN_PREFIX = prefix
  const baseImage = await ensureBaseImage(dockerFor(engine))
  // The agent image of the template, built once for the whole run, under a project name of the run's own.
  agentProject = `agent${prefix.slice(-6)}`
  const agentImage = await agentTestImage(dockerFor(engine), prefix, baseImage, agentProject)
  project.provide('dockerHost', engine.dockerHost)
  project.provide('namePrefix', prefix)
  project.provide('baseImage', baseImage)
  project.provide('agentImage', agentImage)
  console.log(`[harness] engine ${engine.private ? 'private dockerd' : 'reused'} at ${engine.dockerHost}, prefix ${prefix}`)
}

export async function teardown(): Promise<void> {
  if (!engine) return
  try {
    const docker = dockerFor(engine)
    await removeByPrefix(docker, prefix)
    // The run cleans up after itself: anything it made and could not remove is a defect.
    const left = await leftovers(docker, prefix, [agentProject])
    if (left.length) {
      // Vitest reports an error thrown here but does not fail the run for it: set the exit code too.
      process.exitCode = 1
      throw new Error(`the engine tests left ${left.length} thing(s) behind: ${left.join('; ')}`)
    }
  } finally {
    await engine.stop()
  }
}
