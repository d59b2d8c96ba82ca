import { explanationParts, type STATISTIC_EXPLANATIONS } from '../../../shared/statistics-text'

export type FigureKind = keyof typeof STATISTIC_EXPLANATIONS

/**
 * What the figures just above mean, in plain words and always visible (not only on hover): one
 * line per figure kind, from the shared wording (src/shared/statistics-text.ts) the CLI and the
 * report print too.
 */
export function FigureNotes({
  kinds,
  label,
  testId,
}: {
  kinds: FigureKind[]
  label: string
  testId: string
}) {
  return (
    <dl className="figure-notes" aria-label={label} data-testid={testId}>
      {kinds.map((k) => {
        const { term, text } = explanationParts(k)
        return (
          <div key={k} data-testid={`${testId}-${k}`}>
            <dt>{term}</dt>
            <dd>{text}</dd>
          </div>
        )
      })}
    </dl>
  )
}
