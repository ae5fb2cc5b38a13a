/** What an engine test needs: a client for the run's engine and names no other test uses. */
import { randomBytes } from 'node:crypto'
import { inject } from 'vitest'
import type Docker from 'dockerode'
import { dockerFromHost } from '../../src/main/docker/connection'

export function testDocker(): Docker {
  return dockerFromHost(inject('dockerHost'))
}

/** The run's name prefix, used in place of `clawker` by the services under test. */
export function testPrefix(): string {
  return inject('namePrefix')
}

export function baseImage(): string {
  return inject('baseImage')
}

/** The agent image of the template (busybox base, no Claude Code), built once per run. */
export function agentImage(): string {
  return inject('agentImage')
}

/** A project name unique to one test, so tests can run side by side. */
export function uniqueProject(label = 'p'): string {
  return `${label}${randomBytes(3).toString('hex')}`
}
