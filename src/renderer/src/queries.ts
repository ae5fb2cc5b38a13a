/** react-query hooks over the contract. Pushed events invalidate them; nothing polls Docker. */
import { useEffect, useRef } from 'react'
import { keepPreviousData, useQuery, useQueryClient, type QueryClient } from '@tanstack/react-query'
import type { EngineStatus } from '../../shared/contract'
import { call, onEvent } from './api'
import { credentialRereadMs } from './credentialReread'
import { readAgain } from './readAgain'
import type { EarlyAnswers } from './early'

export const queryKeys = {
  engine: ['engine.status'] as const,
  agents: ['agents.list'] as const,
  credentials: ['credentials.state'] as const,
  images: ['images.list'] as const,
  quickLaunch: ['quickLaunch.menu'] as const,
  engines: ['engines.list'] as const,
  engineLogins: ['credentials.engines'] as const,
  startup: ['app.startup'] as const,
}

/** Subscribes once, for the whole app, to the events that make cached data stale. */
export function useEventInvalidation(): void {
  const client = useQueryClient()
  useEffect(() => {
    const offs = [
      onEvent('engine.status', (status: EngineStatus) => client.setQueryData(queryKeys.engine, status)),
      onEvent('agents.changed', () => {
        void client.invalidateQueries({ queryKey: queryKeys.agents })
        void client.invalidateQueries({ queryKey: queryKeys.quickLaunch }, { cancelRefetch: false })
      }),
      // Main alone says when the credential state may differ (src/main/core/app.ts: an agent created,
      // started or removed, a volume removed, an engine coming or going, the app's own writes).
      // Read again even with a read in flight: it may have begun before this change (an agent's volumes go
      // one by one). Main runs at most one read and one after it, so a burst of events costs two reads.
      onEvent('credentials.changed', () => {
        void readAgain(client, queryKeys.credentials)
        void client.invalidateQueries({ queryKey: queryKeys.engineLogins }, { cancelRefetch: false })
      }),
      onEvent('engines.changed', () => {
        void client.invalidateQueries({ queryKey: queryKeys.engines })
        void client.invalidateQueries({ queryKey: queryKeys.engineLogins }, { cancelRefetch: false })
      }),
    ]
    return () => offs.forEach((off) => off())
  }, [client])
}

export function useEngineStatus() {
  return useQuery({ queryKey: queryKeys.engine, queryFn: () => call('engine.status', {}) })
}

/**
 * The early answers become the queries' first data, so the app's first render can show the list.
 * The agent list is asked for beside the engine's status rather than after it: if the engine is
 * down that answer is dropped, not kept as the list's error; the list is asked for again once the
 * engine is there.
 */
export function prefetchEarly(client: QueryClient, early: EarlyAnswers): void {
  void client.prefetchQuery({ queryKey: queryKeys.engine, queryFn: () => early.status })
  void client.prefetchQuery({ queryKey: queryKeys.startup, queryFn: () => early.startup, staleTime: Infinity })
  void client.prefetchQuery({ queryKey: queryKeys.agents, queryFn: () => early.agents }).then(() => {
    if (client.getQueryState(queryKeys.agents)?.status === 'error') client.removeQueries({ queryKey: queryKeys.agents })
  })
}

export function useAgents(enabled: boolean) {
  return useQuery({ queryKey: queryKeys.agents, queryFn: () => call('agents.list', {}), enabled })
}

/**
 * Files changing inside volumes (a refresh, the keeper relinking) raise no Docker
 * event, so while the panel is shown the state is also re-read on a timer: every 10 s,
 * but never keeping the engine busy more than a fifth of the time (at a thousand agents a
 * read takes seconds).
 */
export function useCredentialState(enabled: boolean) {
  const lastReadMs = useRef(0)
  return useQuery({
    queryKey: queryKeys.credentials,
    queryFn: async () => {
      const t0 = performance.now()
      const state = await call('credentials.state', {})
      lastReadMs.current = performance.now() - t0
      return state
    },
    enabled,
    refetchInterval: enabled ? () => credentialRereadMs(lastReadMs.current) : false,
    // The panel keeps its last state while a new read is under way (an agent's first start, say).
    placeholderData: keepPreviousData,
    refetchIntervalInBackground: false,
  })
}

export function useImages(enabled: boolean) {
  return useQuery({ queryKey: queryKeys.images, queryFn: () => call('images.list', {}), enabled })
}

export function useQuickLaunch(enabled: boolean) {
  return useQuery({ queryKey: queryKeys.quickLaunch, queryFn: () => call('quickLaunch.menu', {}), enabled })
}

export function useEngines(enabled: boolean) {
  return useQuery({ queryKey: queryKeys.engines, queryFn: () => call('engines.list', {}), enabled })
}

/** Each engine's shared login; read only while more than one engine is known (one is the Credentials panel's). */
export function useEngineLogins(enabled: boolean) {
  return useQuery({ queryKey: queryKeys.engineLogins, queryFn: () => call('credentials.engines', {}), enabled })
}

/** What the window learns once at load: notices, first run, and the resources' name prefix. */
export function useStartup() {
  return useQuery({ queryKey: queryKeys.startup, queryFn: () => call('app.startup', {}), staleTime: Infinity })
}
