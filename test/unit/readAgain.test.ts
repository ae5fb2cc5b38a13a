/** A change heard while a query's first read is in flight is read after all (react-query joins that read otherwise). */
import { QueryClient, QueryObserver } from '@tanstack/react-query'
import { describe, expect, it } from 'vitest'
import { readAgain } from '../../src/renderer/src/readAgain'

/** A query whose reads answer when told, each with the state of the world when it began. */
function slowQuery() {
  const client = new QueryClient()
  let world = 'before'
  const pending: Array<() => void> = []
  let reads = 0
  const observer = new QueryObserver(client, {
    queryKey: ['state'],
    queryFn: () => {
      reads++
      const seen = world
      return new Promise<string>((resolve) => pending.push(() => resolve(seen)))
    },
  })
  const off = observer.subscribe(() => {})
  const answerAll = async () => {
    while (pending.length) {
      pending.shift()!()
      await new Promise((r) => setTimeout(r, 0))
    }
  }
  return { client, observer, change: () => (world = 'after'), answerAll, reads: () => reads, off }
}

describe('readAgain', () => {
  it('reads again when the change comes during the first read, and shows what the later read saw', async () => {
    const q = slowQuery()
    await new Promise((r) => setTimeout(r, 0))
    expect(q.reads()).toBe(1)
    q.change()
    await Promise.race([readAgain(q.client, ['state']), new Promise((r) => setTimeout(r, 10))])
    await q.answerAll()
    await expect.poll(() => q.observer.getCurrentResult().data).toBe('after')
    expect(q.reads()).toBe(2)
    q.off()
  })

  it('reads again when the change comes during a later read, keeping the data shown meanwhile', async () => {
    const q = slowQuery()
    await new Promise((r) => setTimeout(r, 0))
    await q.answerAll()
    await expect.poll(() => q.observer.getCurrentResult().data).toBe('before')
    void q.client.invalidateQueries({ queryKey: ['state'] })
    await new Promise((r) => setTimeout(r, 0))
    q.change()
    const again = readAgain(q.client, ['state'])
    await new Promise((r) => setTimeout(r, 0))
    expect(q.observer.getCurrentResult().data).toBe('before')
    await q.answerAll()
    await again
    await expect.poll(() => q.observer.getCurrentResult().data).toBe('after')
    q.off()
  })
})
