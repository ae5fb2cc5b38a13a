/**
 * Agents whose container was just destroyed, by config volume name. The clawker CLI (and the
 * window's own Remove) takes the volumes right after the container; the Credentials panel's
 * read that the destroy event causes must not mount them meanwhile, or the volumes' removal
 * finds them in use. For a moment their last known state is shown instead of read.
 */
export const REMOVAL_GRACE_MS = 10_000

export class RecentRemovals {
  private readonly at = new Map<string, number>()

  constructor(private readonly now: () => number = Date.now) {}

  mark(volume: string): void {
    this.at.set(volume, this.now())
    // Old marks go as new ones come: the map holds a few at most.
    for (const [v, t] of this.at) if (this.now() - t >= REMOVAL_GRACE_MS) this.at.delete(v)
  }

  has(volume: string): boolean {
    const t = this.at.get(volume)
    return t !== undefined && this.now() - t < REMOVAL_GRACE_MS
  }
}
