import { useEffect, useRef, useState } from 'react'
import { useQuickLaunch } from '../queries'

/** The tray's menu, in the page header: the same model the main process builds for the tray. */
export function QuickLaunch(props: { onOpenAgent(project: string, agent: string, engine: string): void; onNewAgent(project: string): void }) {
  const [open, setOpen] = useState(false)
  const menu = useQuickLaunch(open)
  const root = useRef<HTMLDivElement>(null)
  const button = useRef<HTMLButtonElement>(null)

  useEffect(() => {
    if (!open) return
    const first = root.current?.querySelector<HTMLElement>('[role="menuitem"]')
    first?.focus()
    const outside = (e: MouseEvent) => {
      if (!root.current?.contains(e.target as Node)) setOpen(false)
    }
    document.addEventListener('mousedown', outside)
    return () => document.removeEventListener('mousedown', outside)
  }, [open, menu.data])

  const close = () => {
    setOpen(false)
    button.current?.focus()
  }
  const onKey = (e: React.KeyboardEvent) => {
    const items = [...(root.current?.querySelectorAll<HTMLElement>('[role="menuitem"]') ?? [])]
    const i = items.indexOf(document.activeElement as HTMLElement)
    if (e.key === 'Escape') close()
    else if (e.key === 'ArrowDown') items[(i + 1) % items.length]?.focus()
    else if (e.key === 'ArrowUp') items[(i - 1 + items.length) % items.length]?.focus()
    else return
    e.preventDefault()
  }
  return (
    <div className="quick-launch" ref={root} onKeyDown={onKey}>
      <button ref={button} type="button" aria-haspopup="menu" aria-expanded={open} onClick={() => setOpen((o) => !o)} title={menu.data?.tooltip}>
        Quick launch
      </button>
      {open ? (
        <div role="menu" aria-label="Quick launch" className="menu">
          {menu.isLoading ? <p className="muted">Loading…</p> : null}
          {menu.data?.projects.length === 0 ? (
            <div className="menu-empty">
              <p className="muted">No agents yet: make the first one.</p>
              <button
                type="button"
                role="menuitem"
                onClick={() => {
                  close()
                  props.onNewAgent('')
                }}
              >
                New agent…
              </button>
            </div>
          ) : null}
          {menu.data?.projects.map((p) => (
            <div role="group" aria-label={p.label} key={`${p.engine}:${p.project}`}>
              <div className="menu-head" aria-hidden="true">
                {p.label}
              </div>
              {p.agents.map((a) => (
                <button
                  key={`${a.engine}:${a.agent}`}
                  type="button"
                  role="menuitem"
                  onClick={() => {
                    close()
                    props.onOpenAgent(a.project, a.agent, a.engine)
                  }}
                >
                  {a.label}
                </button>
              ))}
              <button
                type="button"
                role="menuitem"
                onClick={() => {
                  close()
                  props.onNewAgent(p.project)
                }}
              >
                {p.newAgentLabel}
              </button>
            </div>
          ))}
          {menu.data ? (
            <p className="menu-foot muted" role="note">
              {menu.data.tooltip}
            </p>
          ) : null}
        </div>
      ) : null}
    </div>
  )
}
