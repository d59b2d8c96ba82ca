import { useEffect } from 'react'
import { DEFAULT_JURY_SIZE, MAX_JUDGES } from '../../../../shared/api/jury'
import { modelOptionText, useKnownModels } from '../../stores/known-models'

/**
 * The jury chosen from the known models (each with its digest): one checkbox per model, so no key
 * can be mistyped. A saved judge no endpoint lists any more stays visible, flagged, to be unticked.
 */
export function JudgePicker(props: { value: string[]; onChange: (judges: string[]) => void }) {
  const { models, loaded, load } = useKnownModels()
  useEffect(() => {
    if (!loaded) void load()
  }, [loaded, load])
  const listed = new Set(models.map((m) => m.key))
  const gone = props.value.filter((k) => !listed.has(k))
  const toggle = (key: string, on: boolean) =>
    props.onChange(on ? [...props.value, key] : props.value.filter((k) => k !== key))
  return (
    <fieldset className="sc-judge-picker" data-testid="judge-picker">
      <legend>
        Judges ({props.value.length} chosen; MedHELM uses {DEFAULT_JURY_SIZE}, at most {MAX_JUDGES})
      </legend>
      {loaded && models.length === 0 ? (
        <p className="muted">
          No model is known yet: add an endpoint on the Models screen and list its models.
        </p>
      ) : null}
      <div className="sc-judge-options" role="group" aria-label="Known models" tabIndex={0}>
        {models.map((m) => (
          <label key={m.key} className="sc-check">
            <input
              type="checkbox"
              checked={props.value.includes(m.key)}
              disabled={!props.value.includes(m.key) && props.value.length >= MAX_JUDGES}
              onChange={(e) => toggle(m.key, e.target.checked)}
            />
            {modelOptionText(m)}
          </label>
        ))}
        {gone.map((k) => (
          <label key={k} className="sc-check sc-judge-gone">
            <input type="checkbox" checked onChange={() => toggle(k, false)} />
            {k} — no endpoint lists it any more
          </label>
        ))}
      </div>
    </fieldset>
  )
}
