import { useEffect, useRef, type ReactNode } from 'react'

/**
 * A modal confirmation (the native <dialog>: focus moves into it and stays there, Escape cancels).
 * The confirm button can be held disabled until the user has done what the dialog asks.
 */
export function ConfirmDialog(props: {
  title: string
  children: ReactNode
  confirmLabel: string
  onConfirm: () => void
  onCancel: () => void
  confirmDisabled?: boolean
  testId?: string
}) {
  const ref = useRef<HTMLDialogElement>(null)
  useEffect(() => {
    const d = ref.current
    if (d && !d.open) d.showModal()
    return () => d?.close()
  }, [])
  return (
    <dialog
      ref={ref}
      className="rv-dialog"
      aria-labelledby="rv-dialog-h"
      data-testid={props.testId}
      onCancel={(e) => {
        e.preventDefault()
        props.onCancel()
      }}
    >
      <h2 id="rv-dialog-h">{props.title}</h2>
      {props.children}
      <div className="rv-actions">
        <button type="button" className="primary" onClick={props.onConfirm} disabled={props.confirmDisabled}>
          {props.confirmLabel}
        </button>
        <button type="button" onClick={props.onCancel}>
          Cancel
        </button>
      </div>
    </dialog>
  )
}
