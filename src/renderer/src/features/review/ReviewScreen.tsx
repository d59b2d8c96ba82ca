import { EmptyState } from '../../components/EmptyState'
import { PageHeader } from '../../components/PageHeader'

export function ReviewScreen() {
  return (
    <>
      <PageHeader
        title="Review"
        subtitle="Clinicians rate model outputs blind; WardEval measures how well the jury agrees."
      />
      <EmptyState title="Blind clinician review is not built yet">
        <p>
          Until it is, every judge’s vote and explanation for an output can be read in Runs: open a run and
          choose an instance.
        </p>
      </EmptyState>
    </>
  )
}
