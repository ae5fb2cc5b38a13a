/**
 * What the window's first script asks for before the app is loaded: the first screen needs all
 * three. Kept apart from queries.ts so the first script stays small (no React, no react-query).
 */
import type { ResponseOf } from '../../shared/contract'
import { call } from './api'

export interface EarlyAnswers {
  status: Promise<ResponseOf<'engine.status'>>
  startup: Promise<ResponseOf<'app.startup'>>
  agents: Promise<ResponseOf<'agents.list'>>
}

/** The early questions, asked at once (their failures are the queries' to show). */
export function askEarly(): EarlyAnswers {
  const early: EarlyAnswers = { status: call('engine.status', {}), startup: call('app.startup', {}), agents: call('agents.list', {}) }
  for (const p of Object.values(early)) (p as Promise<unknown>).catch(() => {})
  return early
}
