import {
  createColumnHelper,
  flexRender,
  getCoreRowModel,
  useReactTable,
  type RowData,
} from '@tanstack/react-table'
import { useVirtualizer } from '@tanstack/react-virtual'
import { useEffect, useMemo, useRef, useState, type KeyboardEvent } from 'react'
import { EMBEDDING_NOT_CONFIGURED, type ItemStatus, type RunItemRow } from '../../../../shared/api/runs'
import { useRuns } from './store'
import { InstanceScores } from '../scoring/InstanceScores'

declare module '@tanstack/react-table' {
  // The selected item, so its row shows raw scores on screen.
  // eslint-disable-next-line @typescript-eslint/no-unused-vars
  interface TableMeta<TData extends RowData> {
    selectedId?: number | null
    /** The table is narrow: model cells show the model's name without its endpoint. */
    narrow?: boolean
  }
}

const ROW_HEIGHT = 32
/** Below this width of the table, latency and tokens are left to the chosen item's panel. */
const NARROW_PX = 900
const NARROW_SIZES = { benchmark: 100, model: 110, instance: 80, score: 116, jury: 116 }
const col = createColumnHelper<RunItemRow | undefined>()

/**
 * One scale for every score column: 0–1 (the jury's 1–5 mean as (mean − 1) / 4). The raw value
 * is in the cell's title (hover), its accessible text and, on the selected row, on screen.
 */
function scoreCell(
  metric: string | null,
  value: number | null,
  status: 'ok' | 'failed' | 'unscored' | null,
  itemStatus: RunItemRow['status'],
  selected: boolean,
  code: string | null = null,
) {
  // Not asked for (no embedding model chosen), not failed: neutral, as in the item's panel.
  if (status === 'unscored' && code === EMBEDDING_NOT_CONFIGURED)
    return (
      <span className="badge" title="No embedding model is chosen in the jury settings">
        not configured
      </span>
    )
  if (status === 'failed' || status === 'unscored')
    return <span className={`badge ${status === 'failed' ? 'danger' : ''}`}>{status}</span>
  if (value === null) return itemStatus === 'done' ? <span className="muted">not scored</span> : null
  const jury = metric === 'jury'
  const normalized = jury ? (value - 1) / 4 : value
  const raw = jury ? `${value.toFixed(2)} of 5` : Number.isInteger(value) ? String(value) : value.toFixed(3)
  const text = `${metric ?? 'score'} ${raw}`
  const shortRaw = jury ? `${value.toFixed(2)}/5` : raw
  return (
    <span className="run-score" title={text}>
      <span className="run-score-track" aria-hidden="true">
        <span
          className="run-score-fill"
          style={{ width: `${Math.max(0, Math.min(1, normalized)) * 100}%` }}
        />
      </span>
      {normalized.toFixed(2)}
      {selected ? <span className="muted"> ({shortRaw})</span> : <span className="sr-only"> ({text})</span>}
    </span>
  )
}

/** A text cell that may be cut short keeps its whole text on hover. */
const titled = (c: { getValue: () => unknown }) => {
  const text = typeof c.getValue() === 'string' ? (c.getValue() as string) : ''
  return <span title={text}>{text}</span>
}

const columns = [
  col.display({ id: 'n', header: '#', cell: (c) => c.row.index + 1, size: 40 }),
  col.accessor((r) => r?.benchmarkId, { id: 'benchmark', header: 'Benchmark', size: 106, cell: titled }),
  col.accessor((r) => r?.modelKey, {
    id: 'model',
    header: 'Model',
    size: 140,
    cell: (c) => {
      const key = c.getValue() ?? ''
      // "endpoint/model": where it must be cut, the model's name is what tells rows apart.
      const shown = c.table.options.meta?.narrow ? key.slice(key.indexOf('/') + 1) : key
      return <span title={key}>{shown}</span>
    },
  }),
  col.accessor((r) => r?.instanceId, { id: 'instance', header: 'Instance', size: 84, cell: titled }),
  col.accessor((r) => r, {
    id: 'status',
    header: 'Status',
    size: 72,
    cell: (c) => {
      const r = c.getValue()
      if (!r) return null
      return (
        <span className={`badge ${r.status === 'failed' ? 'danger' : r.status === 'done' ? 'ok' : ''}`}>
          {r.cached ? 'cached' : r.status}
        </span>
      )
    },
  }),
  col.accessor((r) => r, {
    id: 'score',
    header: 'Main (0–1)',
    size: 172,
    cell: (c) => {
      const r = c.getValue()
      return r
        ? scoreCell(
            r.mainMetric,
            r.score,
            r.scoreStatus,
            r.status,
            c.table.options.meta?.selectedId === r.id,
            r.scoreCode,
          )
        : null
    },
  }),
  col.accessor((r) => r, {
    id: 'jury',
    header: 'Jury (0–1)',
    size: 172,
    cell: (c) => {
      const r = c.getValue()
      if (!r) return null
      if (r.mainMetric === 'jury') return <span className="muted">main metric</span>
      return scoreCell(
        'jury',
        r.juryScore,
        r.juryStatus,
        'pending',
        c.table.options.meta?.selectedId === r.id,
      )
    },
  }),
  col.accessor((r) => r?.error ?? r?.responsePreview ?? '', {
    id: 'answer',
    header: 'Answer / error',
    size: 130,
  }),
  col.accessor((r) => r?.latencyMs, {
    id: 'latency',
    header: 'Latency',
    size: 76,
    cell: (c) => (c.getValue() == null ? '' : `${Math.round(c.getValue()!)} ms`),
  }),
  col.accessor((r) => r, {
    id: 'tokens',
    header: 'Tokens',
    size: 76,
    cell: (c) => {
      const r = c.getValue()
      return r && (r.promptTokens !== null || r.completionTokens !== null)
        ? `${r.promptTokens ?? '?'}/${r.completionTokens ?? '?'}`
        : ''
    },
  }),
]

/** Every item of the selected run: a virtualized table fetched page by page, and the chosen item in full. */
export function ItemBrowser() {
  const { items, itemsTotal, filter, setFilter, ensureItems, openItem, selectedItem, detail } = useRuns()
  const data = useMemo(() => Array.from({ length: itemsTotal }, (_, i) => items[i]), [items, itemsTotal])
  const benchmarks = detail ? [...new Set(detail.groups.map((g) => g.benchmarkId))] : []
  const models = detail ? [...new Set(detail.groups.map((g) => g.modelKey))] : []
  const scrollRef = useRef<HTMLDivElement>(null)
  const width = useWidth(scrollRef)
  // On a narrow window (1024 px) every column but latency and tokens stays on screen: those two are
  // left to the chosen item's panel below, and the text columns are narrower (cut with an
  // ellipsis, whole on hover).
  const narrow = width !== null && width < NARROW_PX
  const columnVisibility = { latency: !narrow, tokens: !narrow }
  const columnSizing = narrow ? NARROW_SIZES : {}
  // TanStack Table returns functions that change identity; the React Compiler lint knows to skip it.
  // eslint-disable-next-line react-hooks/incompatible-library
  const table = useReactTable({
    data,
    columns,
    state: { columnVisibility, columnSizing },
    getCoreRowModel: getCoreRowModel(),
    meta: { selectedId: selectedItem?.id ?? null, narrow },
  })
  const virtualizer = useVirtualizer({
    count: itemsTotal,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 12,
  })
  const virtualRows = virtualizer.getVirtualItems()
  const firstIndex = virtualRows[0]?.index ?? 0
  const lastIndex = virtualRows[virtualRows.length - 1]?.index ?? 0

  useEffect(() => {
    if (itemsTotal > 0) void ensureItems(firstIndex, lastIndex)
  }, [firstIndex, lastIndex, itemsTotal, ensureItems])

  const rows = table.getRowModel().rows
  const selectedIndex = selectedItem ? data.findIndex((r) => r?.id === selectedItem.id) : -1

  const onKey = (e: KeyboardEvent<HTMLDivElement>) => {
    const delta = e.key === 'ArrowDown' ? 1 : e.key === 'ArrowUp' ? -1 : 0
    if (!delta || itemsTotal === 0) return
    e.preventDefault()
    const next = Math.min(itemsTotal - 1, Math.max(0, (selectedIndex < 0 ? -1 : selectedIndex) + delta))
    const row = data[next]
    virtualizer.scrollToIndex(next)
    if (row) void openItem(row.id)
  }

  return (
    <section className="panel" aria-label="Instances">
      <div className="items-header">
        <h2>Instances</h2>
        <label>
          Status{' '}
          <select
            value={filter.status ?? ''}
            onChange={(e) =>
              void setFilter({ ...filter, status: (e.target.value || undefined) as ItemStatus | undefined })
            }
            data-testid="item-status-filter"
          >
            <option value="">all</option>
            <option value="done">done</option>
            <option value="failed">failed</option>
            <option value="pending">pending</option>
          </select>
        </label>
        {benchmarks.length > 1 ? (
          <label>
            Benchmark{' '}
            <select
              value={filter.benchmarkId ?? ''}
              onChange={(e) => void setFilter({ ...filter, benchmarkId: e.target.value || undefined })}
            >
              <option value="">all</option>
              {benchmarks.map((b) => (
                <option key={b}>{b}</option>
              ))}
            </select>
          </label>
        ) : null}
        {models.length > 1 ? (
          <label>
            Model{' '}
            <select
              value={filter.modelKey ?? ''}
              onChange={(e) => void setFilter({ ...filter, modelKey: e.target.value || undefined })}
            >
              <option value="">all</option>
              {models.map((m) => (
                <option key={m}>{m}</option>
              ))}
            </select>
          </label>
        ) : null}
        <span className="muted">{itemsTotal.toLocaleString()} items · ↑/↓ to move</span>
        <span className="muted items-legend">
          Main: the benchmark&apos;s main metric. Scores on one 0–1 scale (the jury&apos;s 1–5 as (score − 1)
          / 4); the raw value on hover and on the chosen row.
        </span>
      </div>
      <div className="items-layout">
        <div
          className={`items-scroll${narrow ? ' items-narrow' : ''}`}
          ref={scrollRef}
          tabIndex={0}
          onKeyDown={onKey}
          role="grid"
          aria-label="Run items"
          aria-rowcount={itemsTotal}
          data-testid="run-items"
        >
          <div className="items-row items-head" role="row">
            {table.getHeaderGroups()[0]!.headers.map((h) => (
              <div
                key={h.id}
                role="columnheader"
                className={h.id === 'answer' ? 'items-grow' : undefined}
                style={{ width: h.getSize() }}
              >
                {flexRender(h.column.columnDef.header, h.getContext())}
              </div>
            ))}
          </div>
          <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
            {virtualRows.map((v) => {
              const row = rows[v.index]
              const item = data[v.index]
              return (
                <div
                  key={v.key}
                  role="row"
                  aria-rowindex={v.index + 2}
                  aria-selected={item !== undefined && item.id === selectedItem?.id}
                  className={`items-row${item && item.id === selectedItem?.id ? ' selected' : ''}`}
                  style={{ transform: `translateY(${v.start}px)`, height: ROW_HEIGHT }}
                  onClick={() => item && void openItem(item.id)}
                  data-testid={item ? `run-item-${item.instanceId}` : undefined}
                >
                  {item && row ? (
                    row.getVisibleCells().map((c) => (
                      <div
                        key={c.id}
                        role="gridcell"
                        className={c.column.id === 'answer' ? 'items-grow' : undefined}
                        style={{ width: c.column.getSize() }}
                        title={typeof c.getValue() === 'string' ? (c.getValue() as string) : undefined}
                      >
                        {flexRender(c.column.columnDef.cell, c.getContext())}
                      </div>
                    ))
                  ) : (
                    <div className="muted" role="gridcell">
                      Loading…
                    </div>
                  )}
                </div>
              )
            })}
          </div>
        </div>
        <ItemDetailPanel />
      </div>
    </section>
  )
}

function ItemDetailPanel() {
  const item = useRuns((s) => s.selectedItem)
  if (!item)
    return (
      <aside className="item-detail muted">
        Choose an instance to see its prompt, answer, reference and score.
      </aside>
    )
  return (
    <aside className="item-detail" aria-label="Instance detail" data-testid="item-detail">
      <h3>
        {item.benchmarkId} · {item.instanceId}
      </h3>
      <dl className="facts">
        <dt>Model</dt>
        <dd>
          {item.modelKey}
          {item.endpoint ? ` (answered by ${item.endpoint})` : ''}
        </dd>
        <dt>Status</dt>
        <dd>
          {item.status}
          {item.cached
            ? ` · from the cache${item.cachedFromRun ? ` (run ${item.cachedFromRun})` : ''}`
            : ''}{' '}
          · {item.attempts} attempt{item.attempts === 1 ? '' : 's'}
        </dd>
        <dt>Latency</dt>
        <dd>{item.latencyMs === null ? '–' : `${Math.round(item.latencyMs)} ms`}</dd>
        <dt>Tokens</dt>
        <dd>
          {item.promptTokens ?? '?'} in · {item.completionTokens ?? '?'} out
        </dd>
      </dl>
      {item.error ? <p className="error-text">{item.error}</p> : null}
      <div className="item-detail-body">
        <div>
          <h4>Prompt</h4>
          <pre data-testid="item-prompt">{item.prompt}</pre>
          <h4>Response</h4>
          <pre data-testid="item-response">{item.response ?? '(none yet)'}</pre>
          <h4>Reference</h4>
          <pre data-testid="item-reference">{item.references.join('\n')}</pre>
        </div>
        <div>
          <h4>Scores</h4>
          {/* Metric scores and, for open-ended benchmarks, each judge's votes side by side. */}
          <InstanceScores runItemId={item.id} />
        </div>
      </div>
    </aside>
  )
}

/** The width of an element, kept up to date (null until it is laid out). */
function useWidth(ref: { current: HTMLElement | null }): number | null {
  const [width, setWidth] = useState<number | null>(null)
  useEffect(() => {
    const el = ref.current
    if (!el) return
    const observer = new ResizeObserver(([entry]) => setWidth(entry ? entry.contentRect.width : null))
    observer.observe(el)
    return () => observer.disconnect()
  }, [ref])
  return width
}
