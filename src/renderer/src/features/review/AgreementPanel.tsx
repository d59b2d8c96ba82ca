import type { AgreementFigure, ReviewAgreement } from '../../../../shared/api/review'
import { AgreementChart, agreementChartText } from '../../../../shared/charts'
import { SizedChart } from '../../components/SizedChart'
import { iccVerdict } from '../../../../shared/statistics-text'
import { EmptyState } from '../../components/EmptyState'
import { FigureNotes } from '../../components/FigureNotes'
import { CalibrationPanel } from './CalibrationPanel'
import { JudgeBiasPanel } from './JudgeBiasPanel'
import { LeagueTable } from './LeagueTable'
import { useReview } from './store'

const fmt = (x: number) => x.toFixed(2)

function Figure({
  f,
  testId,
  between,
}: {
  f: AgreementFigure | undefined
  testId: string
  between: 'scorer' | 'clinicians'
}) {
  if (!f) return <td>—</td>
  if (f.status !== 'ok' || !f.icc3k)
    return (
      <td data-testid={testId}>
        <span className="badge">not computable</span>
        <div className="muted small">{f.reason}</div>
      </td>
    )
  const ci = f.icc3k.ci95
  return (
    <td data-testid={testId}>
      <span className="rv-icc">{fmt(f.icc3k.value)}</span>{' '}
      <span className="muted small">{ci ? `95% CI ${fmt(ci[0])} to ${fmt(ci[1])}` : 'no interval'}</span>{' '}
      <span className="badge">{f.icc3k.label}</span>
      <div className="rv-verdict" data-testid={`${testId}-verdict`}>
        {iccVerdict(f.icc3k.label, between)}
      </div>
      <div className="muted small">
        {f.items} items · {f.raters} raters
        {f.icc3 ? ` · single rater ${fmt(f.icc3.value)}` : ''}
      </div>
    </td>
  )
}

/** Jury–clinician agreement of one set: ICC(3,k) per criterion and overall, the baseline and a scatter. */
export function AgreementPanel() {
  const a = useReview((s) => s.agreement)
  const back = useReview((s) => s.back)
  if (!a) return null
  const scopeName = (scope: string) =>
    a.criteria.find((c) => c.id === scope)?.name ?? 'Overall (mean of criteria)'
  return (
    <>
      <div className="rv-actions">
        <button type="button" onClick={back}>
          ← All review sets
        </button>
      </div>
      <section className="panel" aria-labelledby="rv-agree-h" data-testid="agreement-panel">
        <h2 id="rv-agree-h">Agreement of the jury with clinicians — set {a.setId}</h2>
        <p className="muted">
          As MedHELM validated its jury: each rater&apos;s scores are z-scored over the items, then ICC(3,k)
          (two-way mixed, consistency, mean of k raters) is computed per criterion and on the mean of the
          criteria. The jury&apos;s score of an item is the mean of its judges&apos; valid votes; the
          clinicians&apos; is the mean of the reviewers who rated it. The baseline is the same ICC among
          reviewers on the items they all rated. A figure needs at least {a.minItems} items.
        </p>
        {a.identityWarnings.map((w) => (
          <p key={w.osUser} className="rv-warning" role="alert" data-testid="identity-warning">
            {w.message}.
          </p>
        ))}
        <p data-testid="agreement-counts">
          {a.counts.items} outputs in the set · {a.counts.rated} rated by a clinician · {a.counts.juryScored}{' '}
          scored by the jury · reviewers:{' '}
          {a.reviewers.length ? a.reviewers.map((r) => `${r.reviewer} (${r.rated})`).join(', ') : 'none yet'}
        </p>
        <div className="we-table-wrap">
          <table aria-label="ICC(3,k) on z-scored ratings">
            <thead>
              <tr>
                <th scope="col">Criterion</th>
                <th scope="col">Jury vs clinicians</th>
                <th scope="col">Clinician–clinician baseline</th>
              </tr>
            </thead>
            <tbody>
              {a.juryVsClinicians.map((f, i) => (
                <tr key={f.scope}>
                  <th scope="row">{scopeName(f.scope)}</th>
                  <Figure f={f} testId={`icc-jury-${f.scope}`} between="scorer" />
                  <Figure
                    f={a.clinicianBaseline[i]}
                    testId={`icc-baseline-${f.scope}`}
                    between="clinicians"
                  />
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        <FigureNotes
          kinds={['icc', 'iccBaseline', 'ci']}
          label="What the agreement figures mean"
          testId="agreement-figure-notes"
        />
      </section>
      <SetLeague a={a} />
      <PooledLeague />
      {/* Judge bias report and calibration (issue 11, points 3 and 5) take their place here. */}
      <AgreementScatter a={a} />
      <JudgeBiasPanel setId={a.setId} />
      <CalibrationPanel key={a.setId} setId={a.setId} />
    </>
  )
}

function SetLeague({ a }: { a: ReviewAgreement }) {
  return (
    <section className="panel" aria-labelledby="rv-league-h" data-testid="league-panel">
      <h2 id="rv-league-h">Which automatic scorer agrees best with the clinicians — set {a.setId}</h2>
      <p className="rv-headline" data-testid="league-headline">
        {a.league.headline}
      </p>
      <p className="muted">
        Every scorer of these outputs — the jury, each judge alone, and the text metrics computed on them —
        compared with the clinicians by the same method (MedHELM&apos;s): per output the clinicians&apos; mean
        of the criteria against the scorer&apos;s, both z-scored, ICC(3,k). Best first.
      </p>
      <LeagueTable league={a.league} testId="league-set" />
      <FigureNotes
        kinds={['icc', 'spearman', 'kappa']}
        label="What the scorer league's figures mean"
        testId="league-figure-notes"
      />
    </section>
  )
}

function PooledLeague() {
  const pooled = useReview((s) => s.pooled)
  const showPooled = useReview((s) => s.showPooled)
  return (
    <section className="panel" aria-labelledby="rv-pooled-h" data-testid="pooled-panel">
      <h2 id="rv-pooled-h">All review sets pooled</h2>
      {pooled ? (
        <>
          <p className="rv-headline" data-testid="pooled-headline">
            {pooled.headline}
          </p>
          <p className="muted">
            Review sets {pooled.setIds.join(', ')}: every rated output once, the same method as above.
          </p>
          <LeagueTable league={pooled} testId="league-pooled" />
        </>
      ) : (
        <>
          <p className="muted">
            One set may be too small to tell scorers apart. Pool every review set&apos;s ratings for a firmer
            answer.
          </p>
          <button type="button" onClick={() => void showPooled()}>
            Pool all review sets
          </button>
        </>
      )}
    </section>
  )
}

function AgreementScatter({ a }: { a: ReviewAgreement }) {
  if (a.points.length === 0)
    return (
      <EmptyState title="Nothing to plot yet" testId="scatter-empty">
        The scatter shows, per output, the jury&apos;s score against the clinicians&apos;. It needs outputs
        rated on every criterion by a clinician and scored by the jury: rate some outputs, and score the run
        with the jury in Runs.
      </EmptyState>
    )
  const text = agreementChartText(a)
  return (
    <section className="panel" aria-labelledby="rv-scatter-h" data-testid="agreement-scatter">
      <h2 id="rv-scatter-h">{text.title}</h2>
      <p className="muted" data-testid="scatter-legend">
        {text.caption}
        {a.fit ? '' : ' No trend line: the jury gave every output the same score.'}
      </p>
      <SizedChart height={400} label={text.alt} testId="agreement-chart">
        {(size) => <AgreementChart data={a} {...size} width={Math.min(size.width, 640)} />}
      </SizedChart>
    </section>
  )
}
