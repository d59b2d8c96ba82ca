import { EmptyState } from '../../components/EmptyState'
import { PageHeader } from '../../components/PageHeader'
import { useNav } from '../../stores/nav'

export function TaxonomyScreen() {
  const go = useNav((s) => s.go)
  return (
    <>
      <PageHeader title="Taxonomy" subtitle="MedHELM's clinician-validated taxonomy: 5 categories, 22 subcategories, 121 tasks." />
      <EmptyState
        title="No benchmarks cover the taxonomy yet"
        action={
          <button type="button" className="primary" onClick={() => go('benchmarks')}>
            Import a benchmark
          </button>
        }
      >
        <p>Import a benchmark to see which clinical tasks it covers.</p>
      </EmptyState>
    </>
  )
}
