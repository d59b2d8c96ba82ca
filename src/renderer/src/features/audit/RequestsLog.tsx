import { useVirtualizer } from '@tanstack/react-virtual'
import { PadRow, virtualPadding } from '../../components/VirtualPad'
import { useEffect, useMemo, useRef, useState } from 'react'
import {
  durationText,
  groupText,
  requestStatusText,
  type AuditRequest,
  type AuditRequestGroup,
  type RequestPage,
} from '../../../../shared/api/audit-requests'
import { displayText } from '../../../../shared/display-text'
import { formatBytes, formatTime, hostPort, PURPOSE_LABELS, purposeText } from './format'
import { RequestChipsBar } from './RequestChips'
import { groupKey, useRequests } from './requests-store'

type Line =
  | { type: 'request'; r: AuditRequest; nested: boolean }
  | { type: 'group'; g: AuditRequestGroup; open: boolean }

const HEADERS = ['Time', 'Destination', 'Purpose', 'Model', 'Out / in', 'Status', 'Took']

function lines(page: RequestPage | null, expanded: Record<string, AuditRequest[]>): Line[] {
  const out: Line[] = []
  for (const i of page?.items ?? []) {
    if (i.type === 'request') {
      out.push({ type: 'request', r: i, nested: false })
      continue
    }
    const members = expanded[groupKey(i)]
    out.push({ type: 'group', g: i, open: !!members })
    for (const r of members ?? []) out.push({ type: 'request', r, nested: true })
  }
  return out
}

const what = (r: AuditRequest) =>
  r.kind === 'request' ? purposeText(r.purpose) : (PURPOSE_LABELS[r.kind] ?? r.kind)

function StatusCell({ r }: { r: AuditRequest }) {
  const text = requestStatusText(r)
  const cls =
    r.status === 'unfinished'
      ? 'badge warn'
      : r.status === 'failed' || r.status === 'refused'
        ? 'badge danger'
        : ''
  return cls ? (
    <span className={cls} data-testid={r.status === 'unfinished' ? `unfinished-${r.seq}` : undefined}>
      {text}
    </span>
  ) : (
    <>{text}</>
  )
}

/** Date and time on two lines when the column is narrow. */
function TimeText({ iso }: { iso: string }) {
  const [date, time] = formatTime(iso).split(' ')
  return (
    <>
      <span className="we-nowrap">{date}</span> <span className="we-nowrap">{time}</span>
    </>
  )
}

/** host:port, breaking before the port rather than inside a number. */
function Destination({ host, port }: { host: string; port: number | null }) {
  if (!host) return <>—</>
  const hp = hostPort(host, port)
  const cut = port === null ? hp.length : hp.lastIndexOf(':')
  return (
    <>
      {hp.slice(0, cut)}
      <wbr />
      {hp.slice(cut)}
    </>
  )
}

function RequestRow({ r, selected, onSelect }: { r: AuditRequest; selected: boolean; onSelect: () => void }) {
  return (
    <>
      <td title={r.ts}>
        <button
          type="button"
          className="link we-row-button"
          aria-expanded={selected}
          onClick={(e) => (e.stopPropagation(), onSelect())}
        >
          <TimeText iso={r.ts} />
        </button>
      </td>
      <td title={r.endpoint ?? undefined}>
        <Destination host={r.host} port={r.port} />
      </td>
      <td>{what(r)}</td>
      <td>{displayText(r.model ?? r.endpoint ?? '—')}</td>
      <td>
        <span className="we-nowrap">{formatBytes(r.bytesSent)} /</span>{' '}
        <span className="we-nowrap">{formatBytes(r.bytesReceived)}</span>
      </td>
      <td>
        <StatusCell r={r} />
      </td>
      <td>{durationText(r.durationMs)}</td>
    </>
  )
}

/** The log as a privacy officer reads it: one row per request, status checks grouped, virtualised. */
export function RequestsLog() {
  const s = useRequests()
  const { load } = s
  useEffect(() => {
    void load()
  }, [load])
  const all = useMemo(() => lines(s.page, s.expanded), [s.page, s.expanded])
  const [selected, setSelected] = useState<number | null>(null)
  const scrollRef = useRef<HTMLDivElement>(null)
  // TanStack Virtual returns fresh functions each render; React Compiler skips this component by design.
  // eslint-disable-next-line react-hooks/incompatible-library
  const virtualizer = useVirtualizer({
    count: all.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => 36,
    overscan: 12,
  })
  const items = virtualizer.getVirtualItems()
  const { top: padTop, bottom: padBottom } = virtualPadding(virtualizer)
  const chosen = all.find(
    (l): l is Extract<Line, { type: 'request' }> => l.type === 'request' && l.r.seq === selected,
  )

  return (
    <>
      <RequestChipsBar />
      <p className="muted small" data-testid="requests-count">
        {s.page
          ? `${s.page.requests.toLocaleString()} requests and events${s.page.items.length < s.page.total ? ` — ${s.page.items.length.toLocaleString()} of ${s.page.total.toLocaleString()} rows loaded` : ''}. Each row joins the record written before a request left (its intent) with the record of how it ended.`
          : 'Loading…'}
      </p>
      <div
        className="we-log we-requests"
        ref={scrollRef}
        tabIndex={0}
        role="region"
        aria-label={`Requests, ${all.length} rows`}
        data-testid="requests-log"
      >
        <table>
          <colgroup>
            {['14%', '17%', '18%', '14%', '13%', '14%', '10%'].map((w, i) => (
              <col key={i} style={{ width: w }} />
            ))}
          </colgroup>
          <thead>
            <tr>
              {HEADERS.map((h) => (
                <th key={h} scope="col">
                  {h}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            <PadRow height={padTop} colSpan={HEADERS.length} />
            {items.map((vi) => {
              const l = all[vi.index]!
              if (l.type === 'group')
                return (
                  <tr
                    key={`g${groupKey(l.g)}`}
                    ref={virtualizer.measureElement}
                    data-index={vi.index}
                    className="we-group"
                    data-testid="request-group"
                  >
                    <td colSpan={HEADERS.length}>
                      <button
                        type="button"
                        className="link"
                        aria-expanded={l.open}
                        onClick={() => void s.toggleGroup(l.g)}
                      >
                        {l.open ? '▾' : '▸'} {groupText(l.g, hostPort(l.g.host, l.g.port), formatTime)}
                      </button>{' '}
                      <span className="muted">
                        {formatBytes(l.g.bytesSent)} out / {formatBytes(l.g.bytesReceived)} in
                      </span>
                    </td>
                  </tr>
                )
              const sel = l.r.seq === selected
              return (
                <tr
                  key={`${l.nested ? 'n' : 'r'}${l.r.seq}`}
                  ref={virtualizer.measureElement}
                  data-index={vi.index}
                  className={
                    [
                      l.nested ? 'we-nested' : '',
                      l.r.status === 'refused' ? 'we-refusal' : '',
                      l.r.status === 'unfinished' ? 'we-unfinished' : '',
                      sel ? 'we-selected' : '',
                    ]
                      .join(' ')
                      .trim() || undefined
                  }
                  data-testid={`request-row-${l.r.seq}`}
                  onClick={() => setSelected(sel ? null : l.r.seq)}
                >
                  <RequestRow r={l.r} selected={sel} onSelect={() => setSelected(sel ? null : l.r.seq)} />
                </tr>
              )
            })}
            <PadRow height={padBottom} colSpan={HEADERS.length} />
          </tbody>
        </table>
      </div>
      {s.page && s.page.items.length < s.page.total ? (
        <button type="button" onClick={() => void s.load(true)} data-testid="requests-more">
          Load {Math.min(s.page.total - s.page.items.length, 2000).toLocaleString()} more
        </button>
      ) : null}
      {chosen ? <RequestDetail r={chosen.r} /> : null}
    </>
  )
}

function RequestDetail({ r }: { r: AuditRequest }) {
  return (
    <div className="we-row-detail panel" data-testid="request-detail">
      <dl>
        <dt>Audit rows</dt>
        <dd>
          {r.outcomeSeq !== null
            ? `${r.seq} (written before the request left) and ${r.outcomeSeq} (how it ended)`
            : r.status === 'unfinished'
              ? `${r.seq} — written before the request left; no outcome was ever recorded: the app closed or crashed before the reply. The request may have reached the destination; what came back is unknown.`
              : String(r.seq)}
        </dd>
        <dt>Time (UTC)</dt>
        <dd>{r.ts}</dd>
        <dt>Endpoint</dt>
        <dd>{r.endpoint === null ? '—' : displayText(r.endpoint)}</dd>
        <dt>Address</dt>
        <dd className="we-mono">{r.address || '—'}</dd>
        <dt>Purpose</dt>
        <dd className="we-mono">{JSON.stringify(r.purpose)}</dd>
        <dt>Detail</dt>
        <dd>{displayText(r.detail) || '—'}</dd>
      </dl>
    </div>
  )
}
