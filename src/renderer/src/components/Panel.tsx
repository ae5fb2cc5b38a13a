import type { ReactNode } from 'react'

/** A titled region of the window (its title is its accessible name), with its load error, if any. */
export function Panel(props: { id: string; title: string; className: string; busy?: boolean; error?: Error | null; aside?: ReactNode; children: ReactNode }) {
  return (
    <section className={`panel ${props.className}`} role="region" aria-labelledby={`${props.id}-title`} aria-busy={props.busy}>
      <div className="panel-head">
        <h2 id={`${props.id}-title`}>{props.title}</h2>
        {props.aside}
      </div>
      {props.error ? (
        <p role="alert" className="error">
          {props.error.message}
        </p>
      ) : null}
      {props.children}
    </section>
  )
}
