import type { AnchoredVerifyResult } from '../../../../shared/api/audit'
import type { VerifyResult } from '../../../../shared/api/models'
import { formatTime } from './format'

function UnfinishedNote({ unfinished }: { unfinished: VerifyResult['unfinished'] }) {
  if (unfinished.count === 0) return null
  const more = unfinished.count > unfinished.seqs.length ? ', …' : ''
  return (
    <div data-testid="verify-unfinished">
      <span className="badge warn">
        {unfinished.count.toLocaleString()} unfinished — the app stopped before the reply
      </span>{' '}
      Intent row{unfinished.count === 1 ? '' : 's'} {unfinished.seqs.join(', ')}
      {more}: recorded before sending, with no outcome. The request may have reached its destination; this
      does not break the chain.
    </div>
  )
}

/** What is proven, sentence by sentence (the same sentences the CLI prints). */
function Statement({ verify }: { verify: AnchoredVerifyResult }) {
  return (
    <ul className="we-statement" data-testid="verify-statement">
      {verify.statement.map((line) => (
        <li key={line}>{line}</li>
      ))}
    </ul>
  )
}

/** The result of "Verify the log": the chain, then every anchor against it. */
export function VerifyResultView({ verify }: { verify: AnchoredVerifyResult | null }) {
  if (!verify) return null
  const anchors = `${verify.anchors.length.toLocaleString()} anchor${verify.anchors.length === 1 ? '' : 's'}`
  const checked = `${verify.rows.toLocaleString()} rows and ${anchors} checked at ${formatTime(verify.checkedAt)}`
  if (verify.ok)
    return (
      <div className="we-verify ok" role="status" data-testid="verify-result" data-ok="true">
        <span aria-hidden="true">✔</span>
        <div>
          <strong>The audit log is intact.</strong> {checked}; every row links to the one before it and
          matches its hash, and every anchor still matches the log.
          <Statement verify={verify} />
          <UnfinishedNote unfinished={verify.unfinished} />
        </div>
      </div>
    )
  if (!verify.chainOk) {
    const bad = verify.firstBad!
    return (
      <div className="we-verify bad" role="alert" data-testid="verify-result" data-ok="false">
        <span aria-hidden="true">✖</span>
        <div>
          <strong>The audit log was altered — first bad row: {bad.seq}.</strong> {bad.message} ({checked})
          <Statement verify={verify} />
          <UnfinishedNote unfinished={verify.unfinished} />
        </div>
      </div>
    )
  }
  const d = verify.firstDiffering
  return (
    <div className="we-verify bad" role="alert" data-testid="verify-result" data-ok="false">
      <span aria-hidden="true">✖</span>
      <div>
        <strong>
          {d
            ? `The audit log was rewritten — first row that differs from an anchor: ${d.seq}${d.exact ? '' : ' (or an earlier row)'}.`
            : 'An anchor does not check out.'}
        </strong>{' '}
        The rows still link and hash correctly among themselves: someone with the database file rewrote them
        and recomputed the hashes, or an anchor file is not genuine. ({checked})
        <Statement verify={verify} />
      </div>
    </div>
  )
}
