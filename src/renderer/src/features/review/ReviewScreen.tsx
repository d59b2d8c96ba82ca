import { displayText } from '../../../../shared/display-text'
import { useEffect } from 'react'
import { ErrorBanner } from '../../components/ErrorBanner'
import { PageHeader } from '../../components/PageHeader'
import { AgreementPanel } from './AgreementPanel'
import { RatingView } from './RatingView'
import { PacketsPanel } from './PacketsPanel'
import { ReviewerPicker } from './ReviewerPicker'
import { ReviewSets } from './ReviewSets'
import { UnblindedView } from './UnblindedView'
import { useReview } from './store'
import './review.css'

export function ReviewScreen() {
  const reviewer = useReview((s) => s.reviewer)
  const view = useReview((s) => s.view)
  const loaded = useReview((s) => s.loaded)
  const error = useReview((s) => s.error)
  const notice = useReview((s) => s.notice)
  const { load, signOut, dismiss } = useReview.getState()

  useEffect(() => {
    void load()
  }, [load])

  return (
    <>
      <PageHeader
        title="Review"
        subtitle="Clinicians rate model outputs blind; WardEval measures how well the jury agrees."
        actions={
          reviewer ? (
            <span className="rv-who" data-testid="current-reviewer">
              Reviewing as <strong>{displayText(reviewer.name)}</strong>{' '}
              <button type="button" className="link" onClick={signOut}>
                Change
              </button>
            </span>
          ) : undefined
        }
      />
      <ErrorBanner message={error} onDismiss={dismiss} />
      {notice ? (
        <p className="rv-notice" role="status">
          {notice}
        </p>
      ) : null}
      <div className="rv-screen">
        {!loaded ? (
          <p className="muted" role="status">
            Loading…
          </p>
        ) : view === 'rating' ? (
          <RatingView />
        ) : !reviewer ? (
          <>
            <ReviewerPicker />
            <PacketsPanel />
          </>
        ) : view === 'agreement' ? (
          <AgreementPanel />
        ) : view === 'unblinded' ? (
          <UnblindedView />
        ) : (
          <ReviewSets />
        )}
      </div>
    </>
  )
}
