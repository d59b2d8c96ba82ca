import type { AuditSummary } from '../../../../shared/api/models'
import { auditChartHeight, auditChartText, AuditVolumeChart } from '../../../../shared/charts'
import { SizedChart } from '../../components/SizedChart'
import { formatBytes, formatTime, hostPort, PURPOSE_LABELS } from './format'

/** Where data went: bytes sent per destination (chart) and the full per-destination table. */
export function DestinationsPanel({ summary }: { summary: AuditSummary }) {
  const d = summary.destinations
  const offMachine = d.filter((x) => !x.loopback)
  const totalSent = d.reduce((s, x) => s + x.bytesSent, 0)
  const offSent = offMachine.reduce((s, x) => s + x.bytesSent, 0)
  const refusals = d.reduce((s, x) => s + x.refusals, 0)
  const chart = auditChartText(summary)
  return (
    <section className="panel" aria-labelledby="dest-h" data-testid="destinations">
      <div className="we-section-title">
        <h2 id="dest-h">Where data went</h2>
      </div>
      <div className="we-kpis">
        <div className="we-kpi">
          <strong data-testid="kpi-off-machine">{formatBytes(offSent)}</strong>
          <span>sent off this machine</span>
        </div>
        <div className="we-kpi">
          <strong>{formatBytes(totalSent)}</strong>
          <span>sent in total (incl. local Ollama)</span>
        </div>
        <div className="we-kpi">
          <strong>{offMachine.length}</strong>
          <span>destinations off this machine</span>
        </div>
        <div className="we-kpi">
          <strong data-testid="kpi-refusals">{refusals}</strong>
          <span>refused attempts</span>
        </div>
      </div>
      {d.length > 0 ? (
        <>
          <SizedChart
            height={(w) => auditChartHeight(summary, w)}
            label={chart.alt}
            testId="audit-volume-chart"
          >
            {(size) => <AuditVolumeChart data={summary} {...size} />}
          </SizedChart>
          <p className="chart-caption" data-testid="audit-volume-caption">
            <strong>{chart.title}.</strong> {chart.caption}
          </p>
        </>
      ) : null}
      <div className="we-table-wrap" tabIndex={0} role="region" aria-label="Destinations">
        <table className="we-dest-table" data-testid="destinations-table">
          <thead>
            <tr>
              <th scope="col">Destination</th>
              <th scope="col">Where</th>
              <th scope="col">Requests</th>
              <th scope="col">Failed</th>
              <th scope="col">Refused</th>
              <th scope="col">Sent</th>
              <th scope="col">Received</th>
              <th scope="col">Last</th>
            </tr>
          </thead>
          <tbody>
            {d.map((x) => (
              <tr key={`${x.host}:${x.port}`} data-testid={`dest-${x.host}`}>
                <td className="we-mono">{hostPort(x.host, x.port)}</td>
                <td>
                  {x.loopback ? (
                    <span className="badge ok">This machine</span>
                  ) : (
                    <span className="badge warn">Off machine</span>
                  )}
                </td>
                <td>{x.requests}</td>
                <td>
                  {x.failures}
                  {x.unfinished ? (
                    <>
                      {' '}
                      <span className="badge warn" title="the app stopped before the reply">
                        {x.unfinished} unfinished
                      </span>
                    </>
                  ) : null}
                </td>
                <td>{x.refusals ? <span className="badge danger">{x.refusals}</span> : 0}</td>
                <td>{formatBytes(x.bytesSent)}</td>
                <td>{formatBytes(x.bytesReceived)}</td>
                <td className="muted">{formatTime(x.lastAt)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {summary.byPurpose.length ? (
        <p className="muted">
          By purpose:{' '}
          {summary.byPurpose
            .map(
              (p) =>
                `${PURPOSE_LABELS[p.purposeKind] ?? (p.purposeKind || 'other')} ${p.requests} requests, ${formatBytes(p.bytesSent)}`,
            )
            .join(' · ')}
        </p>
      ) : null}
    </section>
  )
}
