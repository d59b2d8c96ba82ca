import { EmptyState } from '../../components/EmptyState'
import { PageHeader } from '../../components/PageHeader'

export function ReviewScreen() {
  return (
    <>
      <PageHeader
        title="Review"
        subtitle="Clinicians rate model outputs blind; WardEval measures how well the jury agrees."
      />
      <EmptyState title="No outputs to review yet">
        <p>Outputs of open-ended benchmarks (notes, patient messages, answers) appear here after a run.</p>
      </EmptyState>
    </>
  )
}
