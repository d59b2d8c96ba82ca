import { useState } from 'react'
import type { EndpointWithStatus } from '../../../../shared/api/models'
import { formatTime } from '../audit/format'

function PolicyBadge({ e }: { e: EndpointWithStatus }) {
  if (e.loopback) return <span className="badge ok">This machine</span>
  if (e.approval)
    return (
      <span
        className="badge ok"
        title={`Approved by ${e.approval.approvedBy} at ${formatTime(e.approval.approvedAt)}: ${e.approval.reason}`}
      >
        Approved by {e.approval.approvedBy}
      </span>
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
        : s.errorKind === 'refused'
          ? 'Blocked by the egress policy'
          : 'Not answering'}
      {!s.reachable && s.error ? (
        <span className="reach-error muted small" data-testid={`reach-error-${e.name}`}>
          {s.error}
        </span>
      ) : null}
    </span>
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

export function EndpointsTable(props: {
  endpoints: EndpointWithStatus[]
  onApprove: (e: EndpointWithStatus, reason: string) => Promise<boolean>
  onRemove: (name: string) => void
}) {
  return (
    <div className="we-table-wrap">
      <table data-testid="endpoints-table">
        <thead>
          <tr>
            <th scope="col">Endpoint</th>
            <th scope="col">Kind</th>
            <th scope="col">URL</th>
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
            <tr key={e.id} data-testid={`endpoint-${e.name}`}>
              <td>
                <strong>{e.name}</strong>
                {e.isDefault ? <span className="muted"> (default)</span> : null}
              </td>
              <td>{e.kind === 'ollama' ? 'Ollama' : 'OpenAI-compatible'}</td>
              <td className="we-mono">{e.baseUrl}</td>
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
          ))}
        </tbody>
      </table>
    </div>
  )
}
