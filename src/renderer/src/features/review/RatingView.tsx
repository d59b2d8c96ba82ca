import { useEffect, useRef } from 'react'
import { RATING_MAX, RATING_MIN } from '../../../../shared/api/review'
import { ProgressBar } from '../../components/ProgressBar'
import { useReview } from './store'

const SCORES = Array.from({ length: RATING_MAX - RATING_MIN + 1 }, (_, i) => RATING_MIN + i)

const isTyping = (t: EventTarget | null) =>
  t instanceof HTMLElement && (t.tagName === 'TEXTAREA' || t.tagName === 'INPUT' || t.tagName === 'SELECT')

/** One text the reviewer reads (input, output, gold), in a labelled panel. */
function TextPanel({ id, title, text }: { id: string; title: string; text: string }) {
  return (
    <article className="panel rv-text" aria-labelledby={`rv-${id}-h`}>
      <h3 id={`rv-${id}-h`}>{title}</h3>
      <div className="rv-pre" data-testid={`rating-${id}`}>
        {text}
      </div>
    </article>
  )
}

/**
 * Blind rating, one output at a time: the instance input and the model's output, nothing about
 * the model, the jury or other reviewers. Keyboard-first: 1–5 scores the highlighted criterion and
 * moves to the next, ↑/↓ choose the criterion, Enter saves and goes on, S or → skips, P or ←
 * goes back. Ctrl+Enter saves from the comment box.
 */
export function RatingView() {
  const session = useReview((s) => s.session)
  const item = useReview((s) => s.item)
  const position = useReview((s) => s.position)
  const draft = useReview((s) => s.draft)
  const saving = useReview((s) => s.saving)
  const active = useReview((s) => s.active)
  const packetId = useReview((s) => s.packetId)
  const packet = useReview((s) => s.packets.find((p) => p.id === s.packetId))
  const { goTo, setScore, setComment, setActive, save, back, showUnblinded } = useReview.getState()
  const headingRef = useRef<HTMLHeadingElement>(null)

  // A new item: move focus to its heading, so screen readers announce it and keys act on it.
  useEffect(() => {
    if (item) headingRef.current?.focus()
  }, [item])

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.altKey || e.metaKey) return
      const state = useReview.getState()
      const current = state.item
      if (isTyping(e.target)) {
        if (e.key === 'Enter' && e.ctrlKey && current) {
          e.preventDefault()
          void state.save()
        }
        return
      }
      if (e.ctrlKey) return
      if (!current) return
      if (/^[1-5]$/.test(e.key)) {
        e.preventDefault()
        const c = current.criteria[state.active]
        if (!c) return
        state.setScore(c.id, Number(e.key))
        state.setActive(state.active + 1)
      } else if (e.key === 'ArrowDown') {
        e.preventDefault()
        state.setActive(state.active + 1)
      } else if (e.key === 'ArrowUp') {
        e.preventDefault()
        state.setActive(state.active - 1)
      } else if (
        e.key === 'Enter' &&
        !(e.target instanceof HTMLButtonElement && !e.target.classList.contains('rv-score'))
      ) {
        e.preventDefault()
        void state.save()
      } else if (e.key === 's' || e.key === 'S' || e.key === 'ArrowRight') {
        e.preventDefault()
        void state.goTo(state.position + 1)
      } else if (e.key === 'p' || e.key === 'P' || e.key === 'ArrowLeft') {
        e.preventDefault()
        if (state.position > 0) void state.goTo(state.position - 1)
      }
    }
    window.addEventListener('keydown', onKey)
    return () => window.removeEventListener('keydown', onKey)
  }, [])

  if (!session) return null
  const progress = (
    <ProgressBar
      label="Rated"
      done={session.rated}
      total={session.total}
      detail={`item ${Math.min(position + 1, session.total)} of ${session.total}`}
    />
  )

  if (!item) {
    const complete = session.rated === session.total
    return (
      <section className="panel rv-end" aria-labelledby="rv-end-h" data-testid="review-end">
        {progress}
        <h2 id="rv-end-h" tabIndex={-1}>
          {complete ? 'Every output of this set is rated — thank you.' : 'End of the set'}
        </h2>
        {complete && packetId !== null ? (
          <p>Write the ratings file (Review packets → Export ratings…) and send it to the coordinator.</p>
        ) : complete ? (
          <p>You can now see which model wrote each output and how the jury scored it.</p>
        ) : (
          <p>
            {session.total - session.rated} of {session.total} outputs are not rated yet (skipped). Rate them
            to finish the set.
          </p>
        )}
        <div className="rv-actions">
          {session.firstUnrated !== null ? (
            <button
              type="button"
              className="primary"
              onClick={() => void goTo(session.firstUnrated as number)}
            >
              Go to the first unrated output
            </button>
          ) : packetId !== null ? (
            <button type="button" className="primary" onClick={back}>
              Back to the packets, to export the ratings file
            </button>
          ) : (
            <button type="button" className="primary" onClick={() => void showUnblinded(session.setId)}>
              Compare with the jury
            </button>
          )}
          <button type="button" onClick={() => void goTo(session.total - 1)}>
            Back to the last output
          </button>
          <button type="button" onClick={back}>
            {packetId !== null ? 'All packets' : 'All review sets'}
          </button>
        </div>
      </section>
    )
  }

  const complete = item.criteria.every((c) => draft.scores[c.id] !== undefined)
  return (
    <section className="rv-rating" aria-labelledby="rv-item-h" data-testid="rating-view">
      {progress}
      <div className="rv-item-head">
        <h2 id="rv-item-h" ref={headingRef} tabIndex={-1}>
          Output {position + 1} of {session.total}
          {item.myRating ? <span className="badge ok"> rated</span> : null}
        </h2>
        <p className="muted small" id="rv-keys">
          Keys: <kbd>1</kbd>–<kbd>5</kbd> score · <kbd>↑</kbd>/<kbd>↓</kbd> criterion · <kbd>Enter</kbd> save
          and next · <kbd>S</kbd> skip · <kbd>P</kbd> previous. Leaving a fully scored output saves it.
        </p>
      </div>
      {packet ? (
        <p className="muted small" data-testid="packet-banner">
          Packet {packet.id} for <strong>{packet.reviewer}</strong> (review set {packet.setId}). Ratings stay
          on this computer until you write the ratings file.
        </p>
      ) : null}
      <div className="rv-texts">
        <TextPanel id="input" title="Input" text={item.input} />
        <TextPanel id="output" title="Model output" text={item.output} />
        {item.gold !== null ? <TextPanel id="gold" title="Gold answer" text={item.gold} /> : null}
      </div>
      <div className="panel rv-criteria">
        {item.criteria.map((c, i) => (
          <div
            key={c.id}
            className={i === active ? 'rv-criterion active' : 'rv-criterion'}
            onClick={() => setActive(i)}
          >
            <div className="rv-criterion-text">
              <span id={`rv-c-${c.id}`} className="rv-criterion-name">
                {c.name}
              </span>
              <span className="muted small">{c.description}</span>
            </div>
            <div role="radiogroup" aria-labelledby={`rv-c-${c.id}`} className="rv-scale">
              {SCORES.map((s) => (
                <button
                  key={s}
                  type="button"
                  role="radio"
                  aria-checked={draft.scores[c.id] === s}
                  aria-label={`${c.name} ${s}`}
                  className={draft.scores[c.id] === s ? 'rv-score selected' : 'rv-score'}
                  onClick={() => {
                    setScore(c.id, s)
                    setActive(i + 1)
                  }}
                >
                  {s}
                </button>
              ))}
            </div>
          </div>
        ))}
        <p className="muted small rv-scale-hint">1 = very poor · 5 = excellent</p>
        <label className="rv-comment">
          Comment (optional)
          <textarea
            rows={2}
            maxLength={4000}
            value={draft.comment}
            onChange={(e) => setComment(e.target.value)}
            placeholder="Anything the scores do not say (Ctrl+Enter saves)"
          />
        </label>
      </div>
      <div className="rv-actions rv-nav">
        <button type="button" onClick={() => void goTo(position - 1)} disabled={position === 0}>
          ← Previous
        </button>
        <button type="button" onClick={() => void goTo(position + 1)}>
          Skip →
        </button>
        <button
          type="button"
          className="primary"
          onClick={() => void save()}
          disabled={!complete || saving}
          aria-describedby="rv-keys"
        >
          {saving ? 'Saving…' : 'Save and next'}
        </button>
        <span className="spacer" />
        <button type="button" className="link" onClick={back}>
          Stop for now
        </button>
      </div>
    </section>
  )
}
