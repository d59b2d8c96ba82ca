import { displayText } from '../../../../shared/display-text'
import { useState, type FormEvent } from 'react'
import { ConfirmDialog } from './ConfirmDialog'
import { useReview } from './store'

/** Who is reviewing: an existing reviewer, or a new one by name. */
export function ReviewerPicker() {
  const reviewers = useReview((s) => s.reviewers)
  const chooseReviewer = useReview((s) => s.chooseReviewer)
  const pending = useReview((s) => s.pendingSwitch)
  const identity = useReview((s) => s.identity)
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
      {identity ? (
        <p className="muted small" data-testid="os-user">
          Ratings entered here are recorded as entered by the operating-system user{' '}
          <strong>{identity.osUser}</strong>.
          {identity.lastReviewer ? ` Last reviewer on this computer: ${identity.lastReviewer.name}.` : ''}
        </p>
      ) : null}
      {pending ? <SwitchConfirm name={pending} onConfirmed={() => setName('')} /> : null}
    </section>
  )
}

/** Choosing another reviewer than the last one on this computer: said, and confirmed. */
function SwitchConfirm({ name, onConfirmed }: { name: string; onConfirmed: () => void }) {
  const identity = useReview((s) => s.identity)
  const { chooseReviewer, cancelSwitch } = useReview.getState()
  return (
    <ConfirmDialog
      title="Review as someone else?"
      confirmLabel={`Continue as ${name}`}
      onConfirm={() => void chooseReviewer(name, true).then((ok) => ok && onConfirmed())}
      onCancel={cancelSwitch}
      testId="confirm-reviewer"
    >
      <p>
        The last reviewer on this computer was <strong>{identity?.lastReviewer?.name}</strong>. Ratings you
        enter now are kept as <strong>{name}</strong>&apos;s, entered by the operating-system user{' '}
        <strong>{identity?.osUser}</strong>. Each clinician should rate under their own name: agreement
        between clinicians means nothing if one person rates as two.
      </p>
    </ConfirmDialog>
  )
}
