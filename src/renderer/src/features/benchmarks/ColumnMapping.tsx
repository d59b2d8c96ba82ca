import { useImportWizard, type ColumnMapping as Mapping } from './store'

type ListField = 'input' | 'reference' | 'choices'

const LIST_FIELDS: { field: ListField; label: string; help: string; required?: boolean; add: string }[] = [
  {
    field: 'input',
    label: 'Input',
    help: 'The text the model reads. Several columns are joined with a blank line between them.',
    required: true,
    add: 'Add another input column',
  },
  {
    field: 'reference',
    label: 'Reference answer',
    help: 'The correct answer the output is compared with. Several columns: each is an accepted answer.',
    required: true,
    add: 'Add another accepted answer',
  },
  {
    field: 'choices',
    label: 'Answer options',
    help: 'For multiple choice: one column per option (A, B, C…), or one column holding a list.',
    add: 'Add an option column',
  },
]

/** One dropdown over the file's own columns. */
function ColumnSelect(props: {
  id: string
  label: string
  value: string
  columns: string[]
  empty: string
  onChange: (value: string) => void
  describedBy?: string
}) {
  return (
    <select
      id={props.id}
      aria-label={props.label}
      aria-describedby={props.describedBy}
      value={props.value}
      onChange={(e) => props.onChange(e.target.value)}
      data-testid={props.id}
    >
      <option value="">{props.empty}</option>
      {props.columns.map((c) => (
        <option key={c} value={c}>
          {c}
        </option>
      ))}
    </select>
  )
}

/** A field mapped to one or more columns: a dropdown each, in order, with add and remove. */
function ColumnList(props: { spec: (typeof LIST_FIELDS)[number]; columns: string[] }) {
  const { spec, columns } = props
  const values = useImportWizard((s) => s.mapping[spec.field])
  const setMapping = useImportWizard((s) => s.setMapping)
  const shown = values.length ? values : ['']
  const put = (next: string[]) => setMapping({ [spec.field]: next.filter(Boolean) } as Partial<Mapping>)
  const helpId = `map-${spec.field}-help`
  return (
    <div className="field" role="group" aria-labelledby={`map-${spec.field}-label`}>
      <span className="field-label" id={`map-${spec.field}-label`}>
        {spec.label}
        {spec.required ? ' *' : ''}
      </span>
      {shown.map((v, i) => (
        <div className="inline-form" key={i}>
          <ColumnSelect
            id={i === 0 ? `map-${spec.field}` : `map-${spec.field}-${i + 1}`}
            label={`${spec.label}${shown.length > 1 ? `, column ${i + 1}` : ''}`}
            value={v}
            columns={columns}
            empty={spec.required ? '— choose a column —' : '— none —'}
            onChange={(c) => put(shown.map((x, k) => (k === i ? c : x)))}
            describedBy={helpId}
          />
          {shown.length > 1 ? (
            <button
              type="button"
              className="link"
              onClick={() => put(shown.filter((_, k) => k !== i))}
              aria-label={`Remove ${spec.label.toLowerCase()} column ${i + 1}`}
            >
              Remove
            </button>
          ) : null}
        </div>
      ))}
      {values.length > 0 && values.length < columns.length ? (
        <button type="button" className="link add-column" onClick={() => put([...values, ''])}>
          + {spec.add}
        </button>
      ) : null}
      <span className="hint" id={helpId}>
        {spec.help}
      </span>
    </div>
  )
}

function MetadataChoice(props: { columns: string[] }) {
  const m = useImportWizard((s) => s.mapping)
  const setMapping = useImportWizard((s) => s.setMapping)
  const used = new Set([...m.input, ...m.reference, ...m.choices, m.id, m.split])
  const free = props.columns.filter((c) => !used.has(c))
  const modes: [Mapping['metadataMode'], string][] = [
    ['all', 'Keep every other column'],
    ['none', 'Keep none'],
    ['chosen', 'Keep these columns:'],
  ]
  return (
    <fieldset className="metadata-choice">
      <legend>Other columns (kept as metadata, never sent to the model unless the prompt uses them)</legend>
      {modes.map(([mode, label]) => (
        <label key={mode} className="radio">
          <input
            type="radio"
            name="metadata-mode"
            checked={m.metadataMode === mode}
            onChange={() => setMapping({ metadataMode: mode, metadata: mode === 'chosen' ? [] : m.metadata })}
          />
          {label}
        </label>
      ))}
      {m.metadataMode === 'chosen' ? (
        <div className="checkbox-list">
          {free.map((c) => (
            <label key={c} className="radio">
              <input
                type="checkbox"
                checked={m.metadata.includes(c)}
                onChange={(e) =>
                  setMapping({
                    metadata: e.target.checked ? [...m.metadata, c] : m.metadata.filter((x) => x !== c),
                  })
                }
              />
              {c}
            </label>
          ))}
        </div>
      ) : null}
    </fieldset>
  )
}

/** Which of the file's columns holds what: dropdowns, starting from WardEval's guess. */
export function ColumnMappingFields(props: { columns: string[] }) {
  const m = useImportWizard((s) => s.mapping)
  const setMapping = useImportWizard((s) => s.setMapping)
  return (
    <fieldset className="mapping" data-testid="column-mapping">
      <legend>Map the columns</legend>
      <p className="hint">
        WardEval guessed from the column names; check each choice. The file has {props.columns.length}{' '}
        columns.
      </p>
      <div className="mapping-grid">
        {LIST_FIELDS.map((spec) => (
          <ColumnList key={spec.field} spec={spec} columns={props.columns} />
        ))}
        <div className="field">
          <label htmlFor="map-id">Instance id</label>
          <ColumnSelect
            id="map-id"
            label="Instance id"
            value={m.id}
            columns={props.columns}
            empty="— the row number —"
            onChange={(id) => setMapping({ id })}
            describedBy="map-id-help"
          />
          <span className="hint" id="map-id-help">
            Must be unique per row; repeated ids are flagged below.
          </span>
        </div>
        <div className="field">
          <label htmlFor="map-split">Split</label>
          <ColumnSelect
            id="map-split"
            label="Split"
            value={m.split}
            columns={props.columns}
            empty="— every row is “test” —"
            onChange={(split) => setMapping({ split })}
          />
        </div>
      </div>
      <MetadataChoice columns={props.columns} />
    </fieldset>
  )
}
