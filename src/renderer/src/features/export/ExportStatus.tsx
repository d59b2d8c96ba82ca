import { JobProgressBar } from '../../components/JobProgressBar'
import type { ExportState } from './useExport'

/** Progress of a running export, then where it went (or why it failed). */
export function ExportStatus(props: { state: ExportState; testId: string }) {
  const { busy, progress, message, error } = props.state
  return (
    <div className="export-status" data-testid={props.testId}>
      <JobProgressBar progress={progress} />
      <p role="status" className={error ? 'error-text' : 'muted'}>
        {busy && !progress ? 'Exporting…' : (error ?? message ?? '')}
      </p>
    </div>
  )
}
