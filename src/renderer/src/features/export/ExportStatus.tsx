import { ProgressBar } from '../../components/ProgressBar'
import type { ExportState } from './useExport'

/** Progress of a running export, then where it went (or why it failed). */
export function ExportStatus(props: { state: ExportState; testId: string }) {
  const { busy, progress, message, error } = props.state
  return (
    <div className="export-status" data-testid={props.testId}>
      {progress ? (
        <ProgressBar
          label={progress.label}
          done={progress.done}
          total={progress.total}
          detail={progress.unit}
        />
      ) : null}
      <p role="status" className={error ? 'error-text' : 'muted'}>
        {busy && !progress ? 'Exporting…' : (error ?? message ?? '')}
      </p>
    </div>
  )
}
