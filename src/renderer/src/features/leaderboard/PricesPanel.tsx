import { useState, type FormEvent } from 'react'
import type { Leaderboard } from '../../../../shared/api/leaderboard'
import { ModelKeySelect } from '../../components/ModelKeySelect'
import { useLeaderboard } from './store'

/** Prices per 1M tokens per model key: the ones set, a form to set one, and a remove button each. */
export function PricesPanel({ data }: { data: Leaderboard }) {
  const { savePrice, removePrice } = useLeaderboard.getState()
  const [modelKey, setModelKey] = useState('')
  const [input, setInput] = useState('')
  const [output, setOutput] = useState('')
  const [problem, setProblem] = useState<string | null>(null)
  const unpriced = [
    ...new Set(data.rows.flatMap((r) => [...r.cost.model.unpriced, ...r.cost.jury.unpriced])),
  ].sort()
  const known = [...new Set([...data.rows.map((r) => r.modelKey), ...unpriced])].sort()

  const submit = async (e: FormEvent) => {
    e.preventDefault()
    const i = Number(input)
    const o = Number(output)
    if (input.trim() === '' || !Number.isFinite(i) || i < 0)
      return setProblem('Input price: enter USD per 1M input tokens, 0 or more (e.g. 0.15).')
    if (output.trim() === '' || !Number.isFinite(o) || o < 0)
      return setProblem('Output price: enter USD per 1M output tokens, 0 or more (e.g. 0.60).')
    if (modelKey === '') return setProblem('Model key: choose the model the price is for.')
    setProblem(null)
    if (await savePrice({ modelKey, inputPerMTok: i, outputPerMTok: o })) {
      setModelKey('')
      setInput('')
      setOutput('')
    }
  }

  return (
    <section className="panel" aria-labelledby="lb-prices-h" data-testid="lb-prices">
      <h2 id="lb-prices-h">Prices</h2>
      <p className="muted">
        Local models have no list price: record what a model costs you per 1M tokens (e.g. your GPU
        charge-back). Costs use the actual token counts of the answers; without a price or token counts a cost
        is shown as unknown, never as 0.
      </p>
      {unpriced.length > 0 ? (
        <p className="lb-small" data-testid="lb-unpriced">
          Without a price: {unpriced.join(', ')}
        </p>
      ) : null}
      {data.prices.length > 0 ? (
        <table className="lb-prices-table">
          <thead>
            <tr>
              <th scope="col">Model</th>
              <th scope="col">Input (USD / 1M tokens)</th>
              <th scope="col">Output (USD / 1M tokens)</th>
              <th scope="col">
                <span className="sr-only">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {data.prices.map((p) => (
              <tr key={p.modelKey}>
                <th scope="row">{p.modelKey}</th>
                <td className="lb-num">{p.inputPerMTok}</td>
                <td className="lb-num">{p.outputPerMTok}</td>
                <td>
                  <button
                    type="button"
                    className="link"
                    onClick={() => void removePrice(p.modelKey)}
                    aria-label={`Remove the price of ${p.modelKey}`}
                  >
                    Remove
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      <form className="lb-price-form" onSubmit={(e) => void submit(e)} aria-label="Set a price">
        <ModelKeySelect label="Model key" value={modelKey} onChange={setModelKey} extra={known} />
        <label>
          Input, USD per 1M tokens
          <input
            value={input}
            onChange={(e) => setInput(e.target.value)}
            inputMode="decimal"
            placeholder="0.15"
            required
          />
        </label>
        <label>
          Output, USD per 1M tokens
          <input
            value={output}
            onChange={(e) => setOutput(e.target.value)}
            inputMode="decimal"
            placeholder="0.60"
            required
          />
        </label>
        <button type="submit" className="primary">
          Save price
        </button>
      </form>
      {problem ? (
        <p className="lb-problem" role="alert">
          {problem}
        </p>
      ) : null}
    </section>
  )
}
