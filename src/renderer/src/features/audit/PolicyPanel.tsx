import { useState } from 'react'
import type { EgressPolicy } from '../../../../shared/api/models'
import { formatTime, hostPort } from './format'
import { displayText } from '../../../../shared/display-text'

/** The egress policy in words, every approval (active and revoked), and approving a destination. */
export function PolicyPanel(props: {
  policy: EgressPolicy
  onApprove: (host: string, port: number | null, reason: string) => Promise<boolean>
  onRevoke: (id: number) => void
}) {
  const [host, setHost] = useState('')
  const [port, setPort] = useState('')
  const [reason, setReason] = useState('')
  const portNumber = port.trim() === '' ? null : Number(port)
  const portValid =
    portNumber === null || (Number.isInteger(portNumber) && portNumber >= 1 && portNumber <= 65535)
  return (
    <section className="panel" aria-labelledby="policy-h" data-testid="policy">
      <div className="we-section-title">
        <h2 id="policy-h">Egress policy</h2>
      </div>
      <p>{props.policy.description}</p>
      {props.policy.approvals.length === 0 ? (
        <p className="muted" data-testid="no-approvals">
          No approvals: only this machine is reachable.
        </p>
      ) : (
        <div className="we-table-wrap">
          <table data-testid="approvals-table">
            <thead>
              <tr>
                <th scope="col">Destination</th>
                <th scope="col">Approved by</th>
                <th scope="col">When</th>
                <th scope="col">Why</th>
                <th scope="col">State</th>
              </tr>
            </thead>
            <tbody>
              {props.policy.approvals.map((a) => (
                <tr key={a.id}>
                  <td className="we-mono">
                    {hostPort(a.host, a.port)}
                    {a.port === null ? ' (any port)' : ''}
                  </td>
                  <td>{displayText(a.approvedBy)}</td>
                  <td>{formatTime(a.approvedAt)}</td>
                  <td>{displayText(a.reason)}</td>
                  <td>
                    {a.revokedAt ? (
                      <span className="muted">
                        Revoked by {a.revokedBy} {formatTime(a.revokedAt)}
                      </span>
                    ) : (
                      <button
                        type="button"
                        onClick={() => {
                          if (
                            window.confirm(
                              `Revoke the approval of ${hostPort(a.host, a.port)}? Requests to it will be refused from now on.`,
                            )
                          )
                            props.onRevoke(a.id)
                        }}
                      >
                        Revoke
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <form
        className="we-filters"
        aria-label="Approve a destination"
        onSubmit={(e) => {
          e.preventDefault()
          void props.onApprove(host.trim(), portNumber, reason.trim()).then((ok) => {
            if (ok) {
              setHost('')
              setPort('')
              setReason('')
            }
          })
        }}
      >
        <label>
          Host
          <input
            value={host}
            onChange={(e) => setHost(e.target.value)}
            placeholder="llm.hospital.internal"
            required
          />
        </label>
        <label>
          Port (empty: any)
          <input
            value={port}
            onChange={(e) => setPort(e.target.value)}
            inputMode="numeric"
            size={7}
            aria-invalid={!portValid}
          />
        </label>
        <label>
          Why
          <input
            value={reason}
            onChange={(e) => setReason(e.target.value)}
            placeholder="Approved by the DPO, ticket…"
            required
            size={32}
          />
        </label>
        <button type="submit" className="primary" disabled={!host.trim() || !reason.trim() || !portValid}>
          Approve destination
        </button>
      </form>
    </section>
  )
}
