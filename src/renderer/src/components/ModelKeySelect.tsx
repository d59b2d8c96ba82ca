import { useEffect } from 'react'
import { modelOptionText, useKnownModels } from '../stores/known-models'

/**
 * A select over the known models (the endpoints' lists, with digests), plus `extra` keys known
 * another way (e.g. models of past runs). Nothing can be typed, so nothing can be mistyped.
 */
export function ModelKeySelect(props: {
  label: string
  value: string
  onChange: (key: string) => void
  /** The empty choice's text ('' value); absent: a choice is required. */
  none?: string
  extra?: readonly string[]
  testId?: string
}) {
  const { models, loaded, load } = useKnownModels()
  useEffect(() => {
    if (!loaded) void load()
  }, [loaded, load])
  const listed = new Set(models.map((m) => m.key))
  const extra = [...new Set(props.extra ?? [])].filter((k) => !listed.has(k)).sort()
  return (
    <label>
      {props.label}
      <select
        value={props.value}
        onChange={(e) => props.onChange(e.target.value)}
        required={props.none === undefined}
        data-testid={props.testId}
      >
        <option value="">{props.none ?? 'Choose a model…'}</option>
        {models.map((m) => (
          <option key={m.key} value={m.key}>
            {modelOptionText(m)}
          </option>
        ))}
        {extra.map((k) => (
          <option key={k} value={k}>
            {k} · used in a run
          </option>
        ))}
      </select>
    </label>
  )
}
