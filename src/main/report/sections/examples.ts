import type { ReportBlock, ReportSection } from '../doc'
import { EXAMPLES_WARNING } from '../examples'
import type { ReportInputs } from '../inputs'

export function examplesSection(x: ReportInputs): ReportSection | null {
  if (x.examples.length === 0) return null
  const blocks: ReportBlock[] = [{ kind: 'callout', tone: 'warning', text: EXAMPLES_WARNING }]
  for (const b of x.examples) {
    blocks.push({ kind: 'heading', text: b.benchmarkName })
    for (const e of b.examples)
      blocks.push({
        kind: 'keyValues',
        rows: [
          { label: 'Instance', value: e.instanceId },
          { label: 'Input', value: e.input },
          { label: 'Reference', value: e.references.join(' | ') || '—' },
          ...e.answers.map((a) => ({ label: a.modelKey, value: a.text ?? '(no answer)' })),
        ],
      })
  }
  return { id: 'examples', title: 'Examples', blocks }
}
