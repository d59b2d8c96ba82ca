import type { ImportPreview } from '../../../../shared/api/benchmarks'

const clip = (s: string, n: number) => (s.length > n ? `${s.slice(0, n)}…` : s)

/** The exact text a model will receive for the first instances, as the run will build it. */
export function PromptPreview(props: { preview: ImportPreview }) {
  const { prompts } = props.preview
  return (
    <section className="prompt-preview" aria-labelledby="prompt-preview-title" data-testid="prompt-preview">
      <h4 id="prompt-preview-title">What the model will receive</h4>
      {prompts.length ? (
        <>
          <p className="hint">
            The exact prompt of the first {prompts.length === 1 ? 'instance' : `${prompts.length} instances`}.
            It updates as you change the mapping or the prompt fields.
          </p>
          {prompts.map((p) => (
            <figure key={p.id}>
              <figcaption>
                Instance <code>{p.id}</code>
              </figcaption>
              <pre tabIndex={0} aria-label={`Prompt of instance ${p.id}`}>
                {p.prompt}
              </pre>
            </figure>
          ))}
        </>
      ) : (
        <p className="muted">
          No prompt yet: map the input and reference columns and choose where the benchmark belongs.
        </p>
      )}
    </section>
  )
}

/** The file's first rows, as read. */
export function RawRows(props: { preview: ImportPreview }) {
  const p = props.preview
  if (p.kind !== 'tabular' || !p.rows.length) return null
  return (
    <div className="preview-table" role="region" aria-label="First rows of the file" tabIndex={0}>
      <h4>First rows as read</h4>
      <table data-testid="preview-rows">
        <thead>
          <tr>
            {p.columns.map((c) => (
              <th key={c} scope="col">
                {c}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {p.rows.map((r, i) => (
            <tr key={i}>
              {p.columns.map((c) => (
                <td key={c} title={r[c]}>
                  {clip(r[c] ?? '', 120)}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  )
}

/** The first instances as they will be stored, repeated ids marked. */
export function StoredInstances(props: { preview: ImportPreview }) {
  const { instances } = props.preview
  const seen = new Map<string, number>()
  for (const i of instances) seen.set(i.id, (seen.get(i.id) ?? 0) + 1)
  return (
    <div className="preview-table" role="region" aria-label="Instances as they will be stored" tabIndex={0}>
      <h4>Instances as they will be stored</h4>
      {instances.length ? (
        <table data-testid="preview-instances">
          <thead>
            <tr>
              <th scope="col">id</th>
              <th scope="col">input</th>
              <th scope="col">options</th>
              <th scope="col">reference</th>
            </tr>
          </thead>
          <tbody>
            {instances.map((i) => (
              <tr key={i.ordinal}>
                <td>
                  {i.id}
                  {(seen.get(i.id) ?? 0) > 1 ? (
                    <span className="badge warn" data-testid="repeated-id">
                      repeated
                    </span>
                  ) : null}
                </td>
                <td title={i.input}>{clip(i.input, 160)}</td>
                <td>
                  {i.choices
                    ? i.choices.map((c, k) => `${String.fromCharCode(65 + k)}. ${c}`).join('  ')
                    : '—'}
                </td>
                <td>{i.references.join(' | ')}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : (
        <p className="muted">No instance could be built yet: fix the mapping above.</p>
      )}
    </div>
  )
}
