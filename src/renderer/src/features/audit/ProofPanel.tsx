import { useEffect, useState } from 'react'
import type { ForwardStatus } from '../../../../shared/api/audit'
import { ErrorBanner } from '../../components/ErrorBanner'
import { formatTime, hostPort } from './format'
import { useProof } from './proof-store'
import { useAuditAppended } from './use-audit-appended'

const REASONS: Record<string, string> = {
  manual: 'by hand',
  run: 'after a run',
  scoring: 'after a scoring pass',
  daily: 'daily',
  startup: 'at start',
}

/** The installation key and the anchors: signed checkpoints of the log kept outside the database. */
export function ProofPanel({ onChanged }: { onChanged: () => void }) {
  const p = useProof()
  const { load } = p
  useEffect(() => {
    void load()
  }, [load])
  // Deliveries and anchors written in the background add audit rows.
  useAuditAppended(load)
  const last = p.anchors?.latest[0] ?? null
  return (
    <section className="panel" aria-labelledby="proof-h" data-testid="proof">
      <div className="we-section-title">
        <h2 id="proof-h">Proof the log was not rewritten</h2>
        <button
          type="button"
          onClick={() => void p.anchorNow().then(onChanged)}
          disabled={p.busy !== ''}
          data-testid="anchor-button"
        >
          {p.busy === 'anchor' ? 'Anchoring…' : 'Anchor now'}
        </button>
      </div>
      <ErrorBanner message={p.error} onDismiss={p.dismiss} />
      <p>
        Someone with the database file could rewrite rows and recompute every hash. Anchors defeat that: each
        is the log&apos;s head signed with this installation&apos;s key, kept outside the database (written
        after every run and scoring pass, and daily). Verify checks that every anchored state is still the
        start of the log.
      </p>
      <dl className="we-proof">
        <dt>Installation key</dt>
        <dd data-testid="key-fingerprint">
          {p.key ? (
            <>
              <span className="we-mono">{p.key.fingerprint}</span>{' '}
              <span className="muted">
                Ed25519, created {formatTime(p.key.createdAt)}; private key{' '}
                {p.key.protection === 'none'
                  ? 'in an owner-only file'
                  : `sealed by the operating system (${p.key.protection})`}
                , never in the database.
              </span>
            </>
          ) : (
            <span>Not created yet: the first anchor creates it (Anchor now, or the next run).</span>
          )}
        </dd>
        <dt>Last anchor</dt>
        <dd data-testid="last-anchor">
          {last ? (
            <>
              Rows 1–{last.seq.toLocaleString()}, {formatTime(last.at)} ({REASONS[last.reason] ?? last.reason}
              {last.runId !== null ? `, run ${last.runId}` : ''}); {p.anchors!.total.toLocaleString()} anchor
              {p.anchors!.total === 1 ? '' : 's'} in <span className="we-mono">{p.anchors!.dir}</span>
            </>
          ) : (
            <span>No anchor yet: one is written after the next run, or choose Anchor now.</span>
          )}
        </dd>
      </dl>
      <ForwardingForm status={p.forward} />
    </section>
  )
}

function deliveredText(s: ForwardStatus): string {
  if (!s.config) return 'Off: anchors stay on this machine only.'
  const d = s.lastDelivered
  const queued = `${s.pendingAnchors} anchor${s.pendingAnchors === 1 ? '' : 's'}${s.config.allRows ? ` and ${s.pendingRows} rows` : ''} queued`
  return `${d ? `Last anchor delivered: rows 1–${d.anchorSeq} (anchor of ${formatTime(d.anchorAt)}), ${formatTime(d.deliveredAt)}` : 'No anchor delivered yet'}; ${queued}.`
}

/** Where anchors go, the last one delivered, what is queued and the last failure. */
function ForwardStatusLine({ status }: { status: ForwardStatus }) {
  return (
    <p data-testid="forward-status">
      {status.config ? (
        <>
          To <span className="we-mono">{hostPort(status.config.host, status.config.port)}</span> over{' '}
          {status.config.tls ? 'TLS' : 'TCP'}, {status.config.allRows ? 'anchors and every row' : 'anchors'}
          .{' '}
        </>
      ) : null}
      {deliveredText(status)}
      {status.lastError ? (
        <span className="badge warn" data-testid="forward-error">
          {' '}
          Last attempt failed: {status.lastError}
        </span>
      ) : null}
    </p>
  )
}

function ForwardingForm({ status }: { status: ForwardStatus | null }) {
  const p = useProof()
  const [host, setHost] = useState('')
  const [port, setPort] = useState('6514')
  const [tls, setTls] = useState(true)
  const [allRows, setAllRows] = useState(false)
  const [caFile, setCaFile] = useState('')
  const portNumber = Number(port)
  const portValid = Number.isInteger(portNumber) && portNumber >= 1 && portNumber <= 65535
  return (
    <div data-testid="forwarding">
      <h3>Forward to the hospital&apos;s log collector (SIEM)</h3>
      <p className="muted">
        RFC 5424 syslog over TCP or TLS, to an approved destination only (see the egress policy below). Each
        delivery is itself audited; a failed one is queued and retried.
      </p>
      {status ? <ForwardStatusLine status={status} /> : null}
      <form
        className="we-filters"
        aria-label="Forward anchors to a log collector"
        onSubmit={(e) => {
          e.preventDefault()
          void p.setForward({
            host: host.trim(),
            port: portNumber,
            tls,
            allRows,
            caFile: caFile.trim() || null,
          })
        }}
      >
        <label>
          Collector host
          <input
            value={host}
            onChange={(e) => setHost(e.target.value)}
            placeholder="siem.hospital.internal"
            required
          />
        </label>
        <label>
          Port
          <input
            value={port}
            onChange={(e) => setPort(e.target.value)}
            inputMode="numeric"
            size={6}
            aria-invalid={!portValid}
          />
        </label>
        <label>
          CA file (PEM, optional)
          <input
            value={caFile}
            onChange={(e) => setCaFile(e.target.value)}
            placeholder="/etc/ssl/hospital-ca.pem"
          />
        </label>
        <label className="we-check">
          <input type="checkbox" checked={tls} onChange={(e) => setTls(e.target.checked)} /> TLS
        </label>
        <label className="we-check">
          <input type="checkbox" checked={allRows} onChange={(e) => setAllRows(e.target.checked)} /> Every row
          too
        </label>
        <button type="submit" className="primary" disabled={!host.trim() || !portValid || p.busy !== ''}>
          Forward
        </button>
        {status?.config ? <ForwardActions /> : null}
      </form>
    </div>
  )
}

/** For a collector already set: deliver what is queued now, or stop forwarding. */
function ForwardActions() {
  const p = useProof()
  return (
    <>
      <button
        type="button"
        onClick={() => void p.sendNow()}
        disabled={p.busy !== ''}
        data-testid="forward-send"
      >
        {p.busy === 'send' ? 'Sending…' : 'Send now'}
      </button>
      <button type="button" onClick={() => void p.forwardOff()} disabled={p.busy !== ''}>
        Turn off
      </button>
    </>
  )
}
