/** A failure the user should see, with the precise message main returned. */
export function ErrorBanner(props: { message: string | null; onDismiss?: () => void }) {
  if (!props.message) return null
  return (
    <div className="error-banner" role="alert">
      <span>{props.message}</span>
      {props.onDismiss ? (
        <button type="button" className="link" onClick={props.onDismiss} aria-label="Dismiss error">
          Dismiss
        </button>
      ) : null}
    </div>
  )
}
