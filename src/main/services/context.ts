/** What every Docker service takes: the engine's client, the name prefix, a clock, the app's version. */
import type Docker from 'dockerode'
import { NAME_PREFIX } from '../docker/names'

export interface ServiceContext {
  docker: Docker
  /** `clawker` in the app; tests pass a prefix of their own so a user's real resources are never touched. */
  prefix: string
  now: () => Date
  appVersion: string
}

export function serviceContext(docker: Docker, opts: Partial<Omit<ServiceContext, 'docker'>> = {}): ServiceContext {
  return {
    docker,
    prefix: opts.prefix ?? NAME_PREFIX,
    now: opts.now ?? (() => new Date()),
    appVersion: opts.appVersion ?? '0.0.0',
  }
}
