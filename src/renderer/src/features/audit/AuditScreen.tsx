import { EmptyState } from '../../components/EmptyState'
import { PageHeader } from '../../components/PageHeader'

export function AuditScreen() {
  return (
    <>
      <PageHeader title="Privacy & Audit" subtitle="Every byte that leaves this machine, where it went, and proof the log is intact." />
      <EmptyState title="Nothing has left this machine">
        <p>Each request to a model server and each refused destination will be logged here, hash-chained.</p>
      </EmptyState>
    </>
  )
}
