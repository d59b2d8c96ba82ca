import { Fragment, useState } from 'react'
import type { AddressChange, EndpointWithStatus } from '../../../../shared/api/models'
import { formatTime } from '../audit/format'
import { displayText } from '../../../../shared/display-text'
import { ConfirmDialog } from '../review/ConfirmDialog'
import { InfoTip } from '../../components/InfoIcon'

function PolicyBadge({ e }: { e: EndpointWithStatus }) {
  if (e.loopback) return <span className="badge ok">This machine</span>
  if (e.approval)
    return (
      <>
        <span className="badge ok">Approved by {displayText(e.approval.approvedBy)}</span>
        <InfoTip label={`Why ${e.host}:${e.port} was approved`}>
          Approved at {formatTime(e.approval.approvedAt)}: “{displayText(e.approval.reason)}”
        </InfoTip>
      </>
    )
  return <span className="badge danger">Not approved — refused</span>
}

function Reachability({ e }: { e: EndpointWithStatus }) {
  const s = e.status
  const state = s.reachable ? 'up' : 'down'
  return (
    <span className="we-reach" data-testid={`reach-${e.name}`} data-state={state}>
      <span className={`dot dot-${state}`} aria-hidden="true" />
      {s.reachable
        ? `Answering${s.version ? ` (Ollama ${s.version})` : ''}`
        : s.addressChange
          ? 'Blocked: the name now points elsewhere'
          : s.errorKind === 'refused'
            ? 'Blocked by the egress policy'
            : 'Not answering'}
    </span>
  )
}

/** A URL that may wrap after its scheme and before its port, never inside a name. */
function UrlText({ url }: { url: string }) {
  const m = /^([a-z]+:\/\/)([^/:]+)(.*)$/i.exec(url)
  if (!m) return <>{url}</>
  return (
    <>
      {m[1]}
      <wbr />
      {m[2]}
      <wbr />
      {m[3]}
    </>
  )
}

function ApproveInline(props: { e: EndpointWithStatus; onApprove: (reason: string) => Promise<boolean> }) {
  const [open, setOpen] = useState(false)
  const [reason, setReason] = useState('')
  const [busy, setBusy] = useState(false)
  if (!open)
    return (
      <button type="button" onClick={() => setOpen(true)} data-testid={`approve-${props.e.name}`}>
        Approve…
      </button>
    )
  return (
    <form
      className="we-inline-approve"
      onSubmit={(ev) => {
        ev.preventDefault()
        setBusy(true)
        void props.onApprove(reason.trim()).then((ok) => {
          setBusy(false)
          if (ok) setOpen(false)
        })
      }}
    >
      <input
        aria-label={`Why may ${props.e.host}:${props.e.port} receive data?`}
        placeholder="Why may this server receive data? (recorded with your name)"
        value={reason}
        onChange={(ev) => setReason(ev.target.value)}
        autoFocus
        required
      />
      <button type="submit" className="primary" disabled={busy || !reason.trim()}>
        Approve
      </button>
      <button type="button" onClick={() => setOpen(false)}>
        Cancel
      </button>
    </form>
  )
}

/** An approved name that now resolves to other addresses: what changed, and re-approval in one step. */
function Reapprove(props: {
  e: EndpointWithStatus
  change: AddressChange
  onReapprove: (c: AddressChange) => void
}) {
  const { change } = props
  const was = change.approved.length > 0 ? change.approved.join(', ') : 'no recorded address'
  return (
    <div className="we-moved" data-testid={`moved-${props.e.name}`}>
      <span>
        {change.host} was approved at <span className="we-mono">{was}</span>; it now resolves to{' '}
        <span className="we-mono">{change.resolved.join(', ')}</span>. Nothing is sent until you re-approve.
      </span>
      <button
        type="button"
        onClick={() => props.onReapprove(change)}
        data-testid={`reapprove-${props.e.name}`}
        aria-label={`Re-approve ${change.host} at ${change.resolved.join(', ')}`}
      >
        Re-approve new address
      </button>
    </div>
  )
}

/** "Revoke approval" beside an approved off-machine endpoint, after a confirmation that says what follows. */
function RevokeApproval(props: { e: EndpointWithStatus; onRevoke: () => void }) {
  const [asking, setAsking] = useState(false)
  const a = props.e.approval!
  const dest = `${a.host}${a.port === null ? '' : `:${a.port}`}`
  return (
    <>
      <button type="button" onClick={() => setAsking(true)} data-testid={`revoke-${props.e.name}`}>
        Revoke approval
      </button>
      {asking ? (
        <ConfirmDialog
          title={`Revoke the approval of ${dest}?`}
          confirmLabel="Revoke approval"
          onConfirm={() => {
            setAsking(false)
            props.onRevoke()
          }}
          onCancel={() => setAsking(false)}
          testId="revoke-dialog"
        >
          <p>
            From now on every request to <strong>{dest}</strong> is refused: runs and scoring passes that use
            the models of {displayText(props.e.name)} (or of any other endpoint on this server) will fail
            until someone approves it again. Results already recorded stay.
          </p>
          <p className="muted">
            Approved by {displayText(a.approvedBy)} at {formatTime(a.approvedAt)}: “{displayText(a.reason)}”.
            The revocation is recorded in the audit log with your name.
          </p>
        </ConfirmDialog>
      ) : null}
    </>
  )
}

export function EndpointsTable(props: {
  endpoints: EndpointWithStatus[]
  onApprove: (e: EndpointWithStatus, reason: string) => Promise<boolean>
  onReapprove: (change: AddressChange) => void
  onRemove: (name: string) => void
  onRevoke: (e: EndpointWithStatus) => void
}) {
  return (
    <div className="we-table-wrap" tabIndex={0} role="region" aria-label="Endpoints">
      <table data-testid="endpoints-table">
        <thead>
          <tr>
            <th scope="col">Endpoint</th>
            <th scope="col">Egress policy</th>
            <th scope="col">Reachability</th>
            <th scope="col">Models</th>
            <th scope="col">
              <span className="we-sr-only">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {props.endpoints.map((e) => (
            <Fragment key={e.id}>
              <tr data-testid={`endpoint-${e.name}`}>
                <td className="we-endpoint">
                  <strong>{displayText(e.name)}</strong>
                  {e.isDefault ? <span className="muted"> (default)</span> : null}
                  <span className="muted small we-kind">
                    {e.kind === 'ollama' ? 'Ollama' : 'OpenAI-compatible'}
                  </span>
                  <span className="we-mono we-url">
                    <UrlText url={e.baseUrl} />
                  </span>
                </td>
                <td>
                  <PolicyBadge e={e} />
                </td>
                <td>
                  <Reachability e={e} />
                </td>
                <td>{e.modelCount}</td>
                <td>
                  <div className="we-actions">
                    {!e.loopback && !e.approval ? (
                      <ApproveInline e={e} onApprove={(r) => props.onApprove(e, r)} />
                    ) : null}
                    {!e.loopback && e.approval ? (
                      <RevokeApproval e={e} onRevoke={() => props.onRevoke(e)} />
                    ) : null}
                    {!e.isDefault ? (
                      <button
                        type="button"
                        className="link"
                        onClick={() => {
                          if (
                            window.confirm(
                              `Remove endpoint ${e.name}? Its approval (if any) stays until revoked on the Privacy & Audit screen.`,
                            )
                          )
                            props.onRemove(e.name)
                        }}
                      >
                        Remove
                      </button>
                    ) : null}
                  </div>
                </td>
              </tr>
              {!e.status.reachable && e.status.error ? (
                <tr className="we-reach-row">
                  <td colSpan={5}>
                    <span className="reach-error muted small" data-testid={`reach-error-${e.name}`}>
                      {e.status.error}
                    </span>
                  </td>
                </tr>
              ) : null}
              {e.status.addressChange ? (
                <tr className="we-moved-row">
                  <td colSpan={5}>
                    <Reapprove e={e} change={e.status.addressChange} onReapprove={props.onReapprove} />
                  </td>
                </tr>
              ) : null}
            </Fragment>
          ))}
        </tbody>
      </table>
    </div>
  )
}
