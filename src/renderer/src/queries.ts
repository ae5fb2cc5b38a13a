/** react-query hooks over the contract; pushed events invalidate them. */
import { useEffect } from 'react'
import { useQuery, useQueryClient } from '@tanstack/react-query'
import type { EngineStatus } from '../../shared/contract'
import { call, onEvent } from './api'

export const queryKeys = {
  engine: ['engine.status'] as const,
  agents: ['agents.list'] as const,
  credentials: ['credentials.state'] as const,
  images: ['images.list'] as const,
}

export function useEngineStatus() {
  const client = useQueryClient()
  useEffect(
    () => onEvent('engine.status', (status: EngineStatus) => client.setQueryData(queryKeys.engine, status)),
    [client],
  )
  return useQuery({ queryKey: queryKeys.engine, queryFn: () => call('engine.status', {}) })
}
