/** What every Docker service takes: the engine's client, the name prefix, a clock, the app's version. */
import type Docker from 'dockerode'
import { NAME_PREFIX } from '../docker/names'

export interface ServiceContext {
  docker: Docker
  /** The engine's id in the app ('local' for this computer's): carried into what the services return. */
  engine: string
  /** `clawker` in the app; tests pass a prefix of their own so a user's real resources are never touched. */
  prefix: string
  now: () => Date
  appVersion: string
}

export function serviceContext(docker: Docker, opts: Partial<Omit<ServiceContext, 'docker'>> = {}): ServiceContext {
  return {
    docker,
    engine: opts.engine ?? 'local',
    prefix: opts.prefix ?? NAME_PREFIX,
    now: opts.now ?? (() => new Date()),
    appVersion: opts.appVersion ?? '0.0.0',
  }
}
