/** An accessible progress bar; `total` null means indeterminate. */
export function ProgressBar(props: { label: string; done: number; total: number | null; detail?: string }) {
  const pct = props.total ? Math.min(100, (props.done / props.total) * 100) : null
  return (
    <div className="progress">
      <div className="progress-label">
        <span>{props.label}</span>
        <span>
          {props.total === null
            ? props.done.toLocaleString()
            : `${props.done.toLocaleString()} / ${props.total.toLocaleString()}`}
          {props.detail ? ` · ${props.detail}` : ''}
        </span>
      </div>
      <div
        className="progress-track"
        role="progressbar"
        aria-label={props.label}
        aria-valuemin={0}
        aria-valuemax={props.total ?? undefined}
        aria-valuenow={props.total === null ? undefined : props.done}
      >
        <div
          className={pct === null ? 'progress-fill indeterminate' : 'progress-fill'}
          style={pct === null ? undefined : { width: `${pct}%` }}
        />
      </div>
    </div>
  )
}
