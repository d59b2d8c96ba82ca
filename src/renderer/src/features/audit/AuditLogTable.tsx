import {
  createColumnHelper,
  flexRender,
  getCoreRowModel,
  getSortedRowModel,
  useReactTable,
  type SortingState,
} from '@tanstack/react-table'
import { useVirtualizer } from '@tanstack/react-virtual'
import { PadRow, virtualPadding } from '../../components/VirtualPad'
import { useMemo, useRef, useState, type KeyboardEvent } from 'react'
import type { AuditEntry } from '../../../../shared/api/models'
import { formatBytes, formatTime, hostPort, purposeText } from './format'
import { displayText } from '../../../../shared/display-text'

const col = createColumnHelper<AuditEntry>()
const ROW_HEIGHT = 34

/** What the Outcome column says: write-ahead intents show their state, outcome rows their intent. */
export function outcomeLabel(e: AuditEntry): string {
  if (e.intentState === 'unfinished') return 'unfinished — the app stopped before the reply'
  if (e.intentState === 'in_flight') return 'intent — in flight'
  if (e.intentState === 'completed') return `intent → #${e.completedBySeq ?? '?'}`
  if (e.completesSeq !== null) return `${e.outcome} (of #${e.completesSeq})`
  return e.outcome
}

function OutcomeCell({ e }: { e: AuditEntry }) {
  const text = outcomeLabel(e)
  if (e.intentState === 'unfinished')
    return (
      <span className="badge warn" data-testid={`unfinished-${e.seq}`}>
        {text}
      </span>
    )
  if (e.intentState === 'in_flight') return <span className="badge">{text}</span>
  return <>{text}</>
}

const columns = [
  col.accessor('seq', { header: '#', size: 60 }),
  col.accessor('ts', { header: 'Time', size: 175, cell: (c) => formatTime(c.getValue()) }),
  col.accessor('kind', { header: 'Kind', size: 80 }),
  col.accessor((e) => (e.host ? hostPort(e.host, e.port) : ''), {
    id: 'destination',
    header: 'Destination',
    size: 190,
  }),
  col.accessor('address', { header: 'Address', size: 110 }),
  col.accessor((e) => purposeText(e.purpose), { id: 'purpose', header: 'Purpose', size: 190 }),
  col.accessor('bytesSent', { header: 'Sent', size: 80, cell: (c) => formatBytes(c.getValue()) }),
  col.accessor('bytesReceived', { header: 'Received', size: 80, cell: (c) => formatBytes(c.getValue()) }),
  col.accessor((e) => outcomeLabel(e), {
    id: 'outcome',
    header: 'Outcome',
    size: 150,
    cell: (c) => <OutcomeCell e={c.row.original} />,
  }),
  col.accessor((e) => displayText(e.actor), { id: 'actor', header: 'Who', size: 90 }),
  col.accessor((e) => displayText(e.detail), { id: 'detail', header: 'Detail', size: 300 }),
]

/** The full log, virtualised (tens of thousands of rows scroll smoothly), sortable, one row's details below. */
export function AuditLogTable({ entries }: { entries: AuditEntry[] }) {
  const [sorting, setSorting] = useState<SortingState>([])
  const [selected, setSelected] = useState<number | null>(null)
  // TanStack Table returns fresh functions each render; React Compiler skips this component by design.
  // eslint-disable-next-line react-hooks/incompatible-library
  const table = useReactTable({
    data: entries,
    columns,
    state: { sorting },
    onSortingChange: setSorting,
    getCoreRowModel: getCoreRowModel(),
    getSortedRowModel: getSortedRowModel(),
  })
  const rows = table.getRowModel().rows
  const scrollRef = useRef<HTMLDivElement>(null)
  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 12,
  })
  const items = virtualizer.getVirtualItems()
  const { top: padTop, bottom: padBottom } = virtualPadding(virtualizer)
  const selectedEntry = useMemo(() => entries.find((e) => e.seq === selected) ?? null, [entries, selected])

  const onKey = (e: KeyboardEvent<HTMLDivElement>) => {
    if (e.key !== 'ArrowDown' && e.key !== 'ArrowUp') return
    e.preventDefault()
    const i = rows.findIndex((r) => r.original.seq === selected)
    const next = rows[Math.max(0, Math.min(rows.length - 1, i + (e.key === 'ArrowDown' ? 1 : -1)))]
    if (next) {
      setSelected(next.original.seq)
      virtualizer.scrollToIndex(next.index)
    }
  }

  return (
    <>
      <div
        className="we-log"
        ref={scrollRef}
        tabIndex={0}
        role="region"
        aria-label={`Audit log, ${entries.length} rows. Arrow keys select a row.`}
        onKeyDown={onKey}
        data-testid="audit-log"
      >
        <table>
          <colgroup>
            {table.getVisibleLeafColumns().map((c) => (
              <col key={c.id} style={{ width: c.getSize() }} />
            ))}
          </colgroup>
          <thead>
            {table.getHeaderGroups().map((hg) => (
              <tr key={hg.id}>
                {hg.headers.map((h) => {
                  const dir = h.column.getIsSorted()
                  return (
                    <th
                      key={h.id}
                      scope="col"
                      aria-sort={dir === 'asc' ? 'ascending' : dir === 'desc' ? 'descending' : 'none'}
                    >
                      <button type="button" className="link" onClick={h.column.getToggleSortingHandler()}>
                        {flexRender(h.column.columnDef.header, h.getContext())}
                        {dir === 'asc' ? ' ▲' : dir === 'desc' ? ' ▼' : ''}
                      </button>
                    </th>
                  )
                })}
              </tr>
            ))}
          </thead>
          <tbody>
            <PadRow height={padTop} colSpan={columns.length} />
            {items.map((vi) => {
              const row = rows[vi.index]!
              const e = row.original
              const cls = [
                e.kind === 'refusal' ? 'we-refusal' : '',
                e.intentState === 'unfinished' ? 'we-unfinished' : '',
                e.seq === selected ? 'we-selected' : '',
              ]
                .join(' ')
                .trim()
              return (
                <tr
                  key={row.id}
                  className={cls || undefined}
                  data-testid={`audit-row-${e.seq}`}
                  onClick={() => setSelected(e.seq)}
                  aria-selected={e.seq === selected}
                >
                  {row.getVisibleCells().map((c) => (
                    <td key={c.id} title={String(c.getValue() ?? '')}>
                      {flexRender(c.column.columnDef.cell, c.getContext())}
                    </td>
                  ))}
                </tr>
              )
            })}
            <PadRow height={padBottom} colSpan={columns.length} />
          </tbody>
        </table>
      </div>
      {selectedEntry ? (
        <div className="we-row-detail panel" data-testid="audit-row-detail">
          <dl>
            <dt>Row</dt>
            <dd>{selectedEntry.seq}</dd>
            <dt>Time (UTC)</dt>
            <dd>{selectedEntry.ts}</dd>
            <dt>Endpoint</dt>
            <dd>{selectedEntry.endpoint === null ? '—' : displayText(selectedEntry.endpoint)}</dd>
            <dt>Purpose</dt>
            <dd className="we-mono">{JSON.stringify(selectedEntry.purpose)}</dd>
            <dt>Request body sha256</dt>
            <dd className="we-mono">{selectedEntry.bodySha256 || '—'}</dd>
            <dt>Detail</dt>
            <dd>{displayText(selectedEntry.detail)}</dd>
            {selectedEntry.intentState ? (
              <>
                <dt>Write-ahead intent</dt>
                <dd data-testid="audit-row-intent">
                  {selectedEntry.intentState === 'completed'
                    ? `Recorded before the request was sent; its outcome is row ${selectedEntry.completedBySeq ?? '?'}.`
                    : selectedEntry.intentState === 'in_flight'
                      ? 'Recorded before the request was sent; the request is still in flight.'
                      : 'Recorded before the request was sent, but no outcome was ever recorded: the app stopped (closed, crashed or was killed) before the reply. The request may have reached the destination; what came back is unknown.'}
                </dd>
              </>
            ) : null}
            {selectedEntry.completesSeq !== null ? (
              <>
                <dt>Completes intent</dt>
                <dd>row {selectedEntry.completesSeq}</dd>
              </>
            ) : null}
            <dt>Previous hash</dt>
            <dd className="we-mono">{selectedEntry.prevHash}</dd>
            <dt>Hash</dt>
            <dd className="we-mono">{selectedEntry.hash}</dd>
          </dl>
        </div>
      ) : null}
    </>
  )
}
