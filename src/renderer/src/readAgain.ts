import type { QueryClient, QueryKey } from '@tanstack/react-query'

/**
 * Reads a query again after a change, even while a read is under way. An invalidation joins a
 * first read still in flight (no data yet) instead of starting another, so a change made while a
 * slow first read ran (an agent created as the page opens) would be missed until the next timed
 * read: the read in flight is cancelled first (its answer dropped, its state reverted).
 */
export async function readAgain(client: QueryClient, queryKey: QueryKey): Promise<void> {
  await client.cancelQueries({ queryKey })
  await client.invalidateQueries({ queryKey })
}
