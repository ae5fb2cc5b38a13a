/**
 * Vitest global setup for the engine tests: one real engine for the run (a
 * private dockerd when none answers), the base test image, and a name prefix
 * unique to this run so a user's real clawker resources are never touched.
 */
import { randomBytes } from 'node:crypto'
import type { TestProject } from 'vitest/node'
import { acquireEngine, dockerFor, type TestEngine } from './engine'
import { ensureBaseImage } from './images'
import { removeByPrefix } from './cleanup'

declare module 'vitest' {
  export interface ProvidedContext {
    dockerHost: string
    namePrefix: string
    baseImage: string
  }
}

let engine: TestEngine | undefined
let prefix = ''

export async function setup(project: TestProject): Promise<void> {
  engine = await acquireEngine()
  prefix = `clawkertest${randomBytes(3).toString('hex')}`
  const baseImage = await ensureBaseImage(dockerFor(engine))
  project.provide('dockerHost', engine.dockerHost)
  project.provide('namePrefix', prefix)
  project.provide('baseImage', baseImage)
  console.log(`[harness] engine ${engine.private ? 'private dockerd' : 'reused'} at ${engine.dockerHost}, prefix ${prefix}`)
}

export async function teardown(): Promise<void> {
  if (!engine) return
  try {
    await removeByPrefix(dockerFor(engine), prefix)
  } finally {
    await engine.stop()
  }
}
