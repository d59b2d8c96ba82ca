import { EmptyState } from '../../components/EmptyState'
import { PageHeader } from '../../components/PageHeader'
import { useNav } from '../../stores/nav'

export function RunsScreen() {
  const go = useNav((s) => s.go)
  return (
    <>
      <PageHeader title="Runs" subtitle="Evaluate models on benchmarks: resumable, cached, with a reproducibility manifest." />
      <EmptyState
        title="No runs yet"
        action={
          <>
            <button type="button" onClick={() => go('benchmarks')}>
              Load benchmarks
            </button>{' '}
            <button type="button" onClick={() => go('models')}>
              Connect models
            </button>
          </>
        }
      >
        <p>A run evaluates one or more models on one or more benchmarks. Load a benchmark and connect a model first.</p>
      </EmptyState>
    </>
  )
}
