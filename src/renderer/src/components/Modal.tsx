import { useEffect, useRef, type ReactNode } from 'react'

/**
 * A modal dialog on the native <dialog>: the browser traps focus, Escape cancels,
 * and the page behind is inert.
 */
export function Modal({ title, onClose, children, wide }: { title: string; onClose(): void; children: ReactNode; wide?: boolean }) {
  const ref = useRef<HTMLDialogElement>(null)
  useEffect(() => {
    const dialog = ref.current
    if (dialog && !dialog.open) dialog.showModal()
    return () => dialog?.close()
  }, [])
  return (
    <dialog
      ref={ref}
      className={wide ? 'modal modal-wide' : 'modal'}
      aria-labelledby="modal-title"
      onCancel={(e) => {
        e.preventDefault()
        onClose()
      }}
    >
      <h2 id="modal-title">{title}</h2>
      {children}
    </dialog>
  )
}
