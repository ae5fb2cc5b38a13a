import type { Ref } from 'react'

/** The filter box over the agents list: name, project or state; Escape clears it. */
export function AgentFilter({ value, onChange, ref }: { value: string; onChange(value: string): void; ref?: Ref<HTMLInputElement> }) {
  return (
    <input
      ref={ref}
      type="search"
      className="agent-filter"
      aria-label="Filter agents"
      placeholder="Filter by name, project or state"
      value={value}
      onChange={(e) => onChange(e.target.value)}
      onKeyDown={(e) => {
        if (e.key === 'Escape' && value !== '') {
          e.preventDefault()
          onChange('')
        }
      }}
    />
  )
}

/** What the list says when the filter leaves nothing. */
export function NoMatch({ query, onClear }: { query: string; onClear(): void }) {
  return (
    <div className="empty" role="status">
      <p>No agents match {query.trim()}</p>
      <button type="button" onClick={onClear}>
        Clear
      </button>
    </div>
  )
}
