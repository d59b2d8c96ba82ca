import { EmptyState } from '../../components/EmptyState'
import { PageHeader } from '../../components/PageHeader'
import { useStatus } from '../../stores/status'

export function ModelsScreen() {
  const ollama = useStatus((s) => s.ollama)
  return (
    <>
      <PageHeader title="Models" subtitle="Local Ollama and the model servers your hospital has approved." />
      <EmptyState title="No model endpoints yet">
        <p>
          WardEval looks for Ollama at <code>{ollama?.url ?? 'http://127.0.0.1:11434'}</code> (set{' '}
          <code>OLLAMA_HOST</code> to change it). To connect it: install Ollama, run <code>ollama serve</code>, and
          pull a model, e.g. <code>ollama pull llama3.1:8b</code>.
        </p>
      </EmptyState>
    </>
  )
}
