import { displayText } from '../../../../shared/display-text'
import { useState, type FormEvent } from 'react'
import { useReview } from './store'

/** Who is reviewing: an existing reviewer, or a new one by name. */
export function ReviewerPicker() {
  const reviewers = useReview((s) => s.reviewers)
  const chooseReviewer = useReview((s) => s.chooseReviewer)
  const [name, setName] = useState('')

  const submit = async (e: FormEvent) => {
    e.preventDefault()
    if (name.trim() === '') return
    if (await chooseReviewer(name)) setName('')
  }

  return (
    <section className="panel rv-picker" aria-labelledby="rv-picker-h" data-testid="reviewer-picker">
      <h2 id="rv-picker-h">Who is reviewing?</h2>
      <p className="muted">
        Ratings are kept per reviewer, so several clinicians can rate the same set and their agreement can be
        measured. You will see each output without its model, the jury&apos;s scores or other reviewers&apos;
        ratings.
      </p>
      {reviewers.length > 0 ? (
        <ul className="rv-reviewer-list" aria-label="Existing reviewers">
          {reviewers.map((r) => (
            <li key={r.id}>
              <button type="button" onClick={() => void chooseReviewer(r.name)}>
                {displayText(r.name)}
              </button>
            </li>
          ))}
        </ul>
      ) : null}
      <form className="rv-inline-form" onSubmit={(e) => void submit(e)}>
        <label>
          {reviewers.length > 0 ? 'Or a new reviewer' : 'Your name'}
          <input
            value={name}
            onChange={(e) => setName(e.target.value)}
            maxLength={100}
            placeholder="e.g. Dr J. Rivera"
            autoComplete="off"
          />
        </label>
        <button type="submit" className="primary" disabled={name.trim() === ''}>
          Start reviewing
        </button>
      </form>
    </section>
  )
}
