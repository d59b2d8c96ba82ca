import { EmptyState } from '../../components/EmptyState'
import { PageHeader } from '../../components/PageHeader'

export function BenchmarksScreen() {
  return (
    <>
      <PageHeader title="Benchmarks" subtitle="MedHELM's public benchmarks and your hospital's private ones." />
      <EmptyState title="No benchmarks loaded">
        <p>
          Import a benchmark from a local file: <code>npm run -s cli -- import &lt;format&gt; &lt;path&gt;</code>.
        </p>
      </EmptyState>
    </>
  )
}
