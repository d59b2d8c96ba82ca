import type { JobProgress } from '../../../shared/api/app'
import { ProgressBar } from './ProgressBar'

/** The progress bar of a long job's `job:progress` events; nothing when there is none. */
export function JobProgressBar(props: { progress: JobProgress | null }) {
  const p = props.progress
  return p ? <ProgressBar label={p.label} done={p.done} total={p.total} detail={p.unit} /> : null
}
