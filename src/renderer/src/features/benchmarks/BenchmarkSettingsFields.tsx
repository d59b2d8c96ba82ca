import type { ReactNode } from 'react'
import { TASK_TYPES } from '../../../../shared/benchmarks/pack'
import { useTaxonomy } from '../taxonomy/store'
import { useBenchmarks, useImportWizard, type WizardSettings } from './store'

const TASK_TYPE_NAMES: Record<string, string> = {
  multiple_choice: 'multiple choice (answer is an option letter)',
  numeric: 'numeric (answer is a number)',
  sql: 'SQL (answer is a query)',
  classification: 'classification (answer is a label)',
  open_ended: 'open-ended (free text, scored by the jury)',
}

function Field(props: { id: string; label: string; hint?: string; children: ReactNode; wide?: boolean }) {
  return (
    <div className={props.wide ? 'field wide' : 'field'}>
      <label htmlFor={props.id}>{props.label}</label>
      {props.children}
      {props.hint ? (
        <span className="hint" id={`${props.id}-help`}>
          {props.hint}
        </span>
      ) : null}
    </div>
  )
}

function useSetting(key: keyof WizardSettings) {
  const value = useImportWizard((s) => s.settings[key])
  const setSetting = useImportWizard((s) => s.setSetting)
  return [value, (v: string) => setSetting(key, v)] as const
}

function PlacementFields() {
  const catalog = useBenchmarks((s) => s.catalog)
  const taxonomy = useTaxonomy((s) => s.view)
  const [fromCatalog, setCatalog] = useSetting('catalog')
  const [subcategory, setSubcategory] = useSetting('subcategory')
  const [task, setTask] = useSetting('task')
  const [taskType, setTaskType] = useSetting('taskType')
  const sub = taxonomy?.categories.flatMap((c) => c.subcategories).find((s) => s.id === subcategory)
  return (
    <>
      <Field
        id="set-catalog"
        label="MedHELM benchmark (optional)"
        hint="Takes placement, task type, metric and prompt from MedHELM’s catalog."
      >
        <select id="set-catalog" value={fromCatalog} onChange={(e) => setCatalog(e.target.value)}>
          <option value="">— a benchmark of your own —</option>
          {catalog.map((c) => (
            <option key={c.id} value={c.id}>
              {c.name}
            </option>
          ))}
        </select>
      </Field>
      <Field id="set-subcategory" label={`Taxonomy subcategory${fromCatalog ? '' : ' *'}`}>
        <select
          id="set-subcategory"
          value={subcategory}
          onChange={(e) => {
            setSubcategory(e.target.value)
            setTask('')
          }}
          data-testid="set-subcategory"
        >
          <option value="">{fromCatalog ? '— from the catalog —' : '— choose —'}</option>
          {taxonomy?.categories.map((c) => (
            <optgroup key={c.id} label={c.name}>
              {c.subcategories.map((s) => (
                <option key={s.id} value={s.id}>
                  {s.name}
                </option>
              ))}
            </optgroup>
          ))}
        </select>
      </Field>
      <Field id="set-task" label="Task (optional)" hint="The clinical task within the subcategory.">
        <select id="set-task" value={task} onChange={(e) => setTask(e.target.value)} disabled={!sub}>
          <option value="">{sub ? '— none —' : '— choose a subcategory first —'}</option>
          {sub?.tasks.map((t) => (
            <option key={t.id} value={t.id}>
              {t.name}
            </option>
          ))}
        </select>
      </Field>
      <Field
        id="set-task-type"
        label="Task type"
        hint="Automatic: multiple choice when option columns are mapped, else open-ended."
      >
        <select id="set-task-type" value={taskType} onChange={(e) => setTaskType(e.target.value)}>
          <option value="">— automatic —</option>
          {TASK_TYPES.map((t) => (
            <option key={t} value={t}>
              {TASK_TYPE_NAMES[t] ?? t}
            </option>
          ))}
        </select>
      </Field>
    </>
  )
}

function IdentityFields(props: { fileName: string; manifestId: string | null }) {
  const [name, setName] = useSetting('name')
  const [benchmarkId, setBenchmarkId] = useSetting('benchmarkId')
  const [access, setAccess] = useSetting('access')
  const [version, setVersion] = useSetting('version')
  return (
    <>
      <Field id="set-name" label="Name">
        <input
          id="set-name"
          value={name}
          onChange={(e) => setName(e.target.value)}
          placeholder={props.fileName}
          data-testid="set-name"
        />
      </Field>
      <Field id="set-id" label="Benchmark id" hint="Letters, digits, _ . - ; used by the CLI and in exports.">
        <input
          id="set-id"
          value={benchmarkId}
          onChange={(e) => setBenchmarkId(e.target.value)}
          placeholder={props.manifestId ?? 'from the file name'}
          spellCheck={false}
          data-testid="set-id"
        />
      </Field>
      <Field id="set-access" label="Access">
        <select id="set-access" value={access} onChange={(e) => setAccess(e.target.value)}>
          <option value="private">private (hospital data)</option>
          <option value="gated">gated (licensed)</option>
          <option value="public">public</option>
        </select>
      </Field>
      <Field id="set-version" label="Version">
        <input
          id="set-version"
          value={version}
          onChange={(e) => setVersion(e.target.value)}
          placeholder="1"
        />
      </Field>
    </>
  )
}

function PromptFields() {
  const [instructions, setInstructions] = useSetting('instructions')
  const [outputNoun, setOutputNoun] = useSetting('outputNoun')
  const [maxTokens, setMaxTokens] = useSetting('maxTokens')
  return (
    <>
      <Field
        id="set-instructions"
        label="Instructions"
        hint="Placed before each input, e.g. “Answer with the letter of the correct option.”"
        wide
      >
        <textarea
          id="set-instructions"
          rows={3}
          value={instructions}
          onChange={(e) => setInstructions(e.target.value)}
          data-testid="set-instructions"
        />
      </Field>
      <Field
        id="set-output-noun"
        label="Answer label"
        hint="Ends the prompt as “<label>:”, e.g. Answer, Summary."
      >
        <input
          id="set-output-noun"
          value={outputNoun}
          onChange={(e) => setOutputNoun(e.target.value)}
          placeholder="none"
          data-testid="set-output-noun"
        />
      </Field>
      <Field id="set-max-tokens" label="Longest answer (tokens)" hint="Default 512.">
        <input
          id="set-max-tokens"
          inputMode="numeric"
          value={maxTokens}
          onChange={(e) => setMaxTokens(e.target.value.replace(/[^0-9]/g, ''))}
          placeholder="512"
        />
      </Field>
    </>
  )
}

/** What the benchmark is, where it sits in the taxonomy, and how its prompt is written. */
export function BenchmarkSettingsFields(props: { fileName: string; manifestId: string | null }) {
  return (
    <>
      <fieldset className="mapping">
        <legend>Describe the benchmark</legend>
        <div className="mapping-grid">
          <IdentityFields {...props} />
          <PlacementFields />
        </div>
      </fieldset>
      <fieldset className="mapping">
        <legend>The prompt</legend>
        <div className="mapping-grid">
          <PromptFields />
        </div>
      </fieldset>
    </>
  )
}
