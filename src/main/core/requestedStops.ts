/**
 * Stops and removals the user asked for, by container name, so that the exit they
 * cause is shown as "stopped" and not notified as a crash. Only an exit nobody asked
 * for notifies. A mark lasts until the container starts again or is destroyed; it
 * lives in memory, so after a restart of the app an old exit shows with its code.
 */
export class RequestedStops {
  private readonly names = new Set<string>()

  mark(name: string): void {
    this.names.add(name)
  }

  clear(name: string): void {
    this.names.delete(name)
  }

  has(name: string): boolean {
    return this.names.has(name)
  }

  /** Runs a stop, remove or restart with the mark set; a failed one leaves no mark behind. */
  async around<T>(name: string, act: () => Promise<T>): Promise<T> {
    this.mark(name)
    try {
      return await act()
    } catch (e) {
      this.clear(name)
      throw e
    }
  }
}
