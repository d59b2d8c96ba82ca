import type { ReportBlock, ReportSection } from '../doc'
import type { ReportInputs } from '../inputs'
import { bytes, when } from './format'

function destinations(x: ReportInputs): ReportBlock {
  return {
    kind: 'table',
    caption: 'Destinations: every host the app sent data to or refused',
    columns: [
      { key: 'host', label: 'Destination' },
      { key: 'where', label: 'Where' },
      { key: 'requests', label: 'Requests', align: 'right' },
      { key: 'refusals', label: 'Refused', align: 'right' },
      { key: 'failures', label: 'Failed', align: 'right' },
      { key: 'sent', label: 'Bytes sent', align: 'right' },
      { key: 'received', label: 'Bytes received', align: 'right' },
      { key: 'period', label: 'First – last' },
    ],
    rows: x.audit.destinations.map((d) => ({
      host: `${d.host}${d.port === null ? '' : `:${d.port}`}`,
      where: d.loopback ? 'this machine' : 'another machine',
      requests: String(d.requests),
      refusals: String(d.refusals),
      failures: String(d.failures),
      sent: bytes(d.bytesSent),
      received: bytes(d.bytesReceived),
      period: `${when(d.firstAt)} – ${when(d.lastAt)}`,
    })),
  }
}

function approvals(x: ReportInputs): ReportBlock {
  if (x.approvals.length === 0)
    return {
      kind: 'paragraph',
      text: 'No destination beyond this machine was ever approved: nothing may leave it.',
    }
  return {
    kind: 'table',
    caption: 'Approvals of destinations beyond this machine, with their reasons',
    columns: [
      { key: 'host', label: 'Destination' },
      { key: 'by', label: 'Approved by' },
      { key: 'reason', label: 'Reason' },
      { key: 'at', label: 'Approved' },
      { key: 'revoked', label: 'Revoked' },
    ],
    rows: x.approvals.map((a) => ({
      host: `${a.host}${a.port === null ? '' : `:${a.port}`}`,
      by: a.approvedBy,
      reason: a.reason,
      at: when(a.approvedAt),
      revoked: a.revokedAt ? `${when(a.revokedAt)} by ${a.revokedBy ?? '?'}` : 'active',
    })),
  }
}

function verification(x: ReportInputs): string {
  const v = x.auditVerify
  if (!v.ok)
    return `FAILED: ${v.firstDiffering ? `row ${v.firstDiffering.seq} differs from the anchor of ${v.firstDiffering.anchorAt}` : (v.firstBad?.message ?? 'the chain or an anchor does not check out')}.`
  return `Intact: ${v.rows} rows checked, every hash link holds${v.counts.matched ? `, ${v.counts.matched} signed anchors match` : ''}.`
}

export function privacySection(x: ReportInputs): ReportSection {
  const v = x.auditVerify
  const refusals = x.audit.destinations.reduce((s, d) => s + d.refusals, 0)
  const remote = x.audit.destinations.filter((d) => !d.loopback)
  return {
    id: 'privacy',
    title: 'Privacy and audit',
    blocks: [
      {
        kind: 'paragraph',
        text: `Every outbound request passes the egress guard and is written to a hash-chained audit log before it is sent. ${remote.length === 0 ? 'No data went to another machine.' : `${remote.length} destination${remote.length === 1 ? '' : 's'} beyond this machine received data.`} ${refusals} request${refusals === 1 ? ' was' : 's were'} refused.`,
      },
      {
        kind: 'keyValues',
        rows: [
          { label: 'Audit log verification', value: verification(x) },
          {
            label: 'Chain head',
            value: v.headSeq === null ? 'empty log' : `row ${v.headSeq}, hash ${v.headHash}`,
          },
          {
            label: 'Last anchor',
            value: x.lastAnchor
              ? `rows 1–${x.lastAnchor.seq}, hash ${x.lastAnchor.headHash}, ${when(x.lastAnchor.at)}, key ${x.lastAnchor.keyFingerprint}`
              : 'none yet (audit anchor)',
          },
          {
            label: 'Rows not yet anchored',
            value: v.unanchored ? `${v.unanchored.from}–${v.unanchored.to}` : 'none',
          },
          { label: 'Requests cut off (no outcome)', value: String(v.unfinished.count) },
        ],
      },
      ...v.statement.map((s) => ({ kind: 'paragraph' as const, text: s })),
      ...(x.charts.auditVolume ? [x.charts.auditVolume] : []),
      destinations(x),
      approvals(x),
    ],
  }
}
