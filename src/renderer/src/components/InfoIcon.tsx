import { useId, useState, type ReactNode } from 'react'

/**
 * The "i in a circle" as inline SVG: it renders the same in every font and on every platform (the
 * ⓘ character does not: fonts without it draw an empty box). Decorative — the control around it
 * carries the accessible name.
 */
export function InfoIcon({ size = 14 }: { size?: number }) {
  return (
    <svg
      className="we-icon"
      width={size}
      height={size}
      viewBox="0 0 16 16"
      aria-hidden="true"
      focusable="false"
      data-icon="info"
    >
      <circle cx="8" cy="8" r="7" fill="none" stroke="currentColor" strokeWidth="1.5" />
      <rect x="7.25" y="6.75" width="1.5" height="5" rx="0.5" fill="currentColor" />
      <circle cx="8" cy="4.5" r="1" fill="currentColor" />
    </svg>
  )
}

/**
 * An info button (the icon, named for screen readers and voice control) that shows its explanation
 * inline below, on click or Enter — never only on hover.
 */
export function InfoTip({ label, children }: { label: string; children: ReactNode }) {
  const [open, setOpen] = useState(false)
  const id = useId()
  return (
    <span className="we-infotip">
      <button
        type="button"
        className="we-info-button"
        aria-label={label}
        aria-expanded={open}
        aria-controls={id}
        onClick={() => setOpen(!open)}
        data-testid="info-button"
      >
        <InfoIcon />
      </button>
      {open ? (
        <span id={id} className="we-infotip-text" role="note">
          {children}
        </span>
      ) : null}
    </span>
  )
}
