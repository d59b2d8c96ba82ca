import { useEffect, useMemo, useRef, useState, type KeyboardEvent } from 'react'
import { createColumnHelper, flexRender, getCoreRowModel, useReactTable } from '@tanstack/react-table'
import { useVirtualizer } from '@tanstack/react-virtual'
import type { InstanceRow } from '../../../../shared/api/benchmarks'
import { ErrorBanner } from '../../components/ErrorBanner'
import { PAGE_SIZE, useInstances } from './store'

const ROW_HEIGHT = 34
/** One visible row: its position in the (filtered) benchmark and the instance, once its page has loaded. */
interface Slot {
  index: number
  row: InstanceRow | null
}
const col = createColumnHelper<Slot>()
const oneLine = (s: string, n: number) => {
  const t = s.replace(/\s+/g, ' ')
  return t.length > n ? `${t.slice(0, n)}…` : t
}

const COLUMNS = [
  col.display({ id: 'n', header: '#', cell: (c) => c.row.original.index + 1, size: 70 }),
  col.display({ id: 'id', header: 'id', cell: (c) => c.row.original.row?.id ?? '', size: 160 }),
  col.display({
    id: 'input',
    header: 'input',
    cell: (c) => (c.row.original.row ? oneLine(c.row.original.row.input, 200) : 'Loading…'),
    size: 520,
  }),
  col.display({
    id: 'choices',
    header: 'choices',
    cell: (c) => (c.row.original.row?.choices ? c.row.original.row.choices.length : '—'),
    size: 80,
  }),
  col.display({
    id: 'references',
    header: 'references',
    cell: (c) => (c.row.original.row ? oneLine(c.row.original.row.references.join(' | '), 80) : ''),
    size: 220,
  }),
  col.display({ id: 'split', header: 'split', cell: (c) => c.row.original.row?.split ?? '', size: 80 }),
]

/** The whole text of a cell the table cuts to one line (shown on hover; the detail panel has it all). */
function cellTitle(column: string, row: InstanceRow | null | undefined): string | undefined {
  if (!row) return undefined
  if (column === 'input') return oneLine(row.input, 600)
  if (column === 'references') return oneLine(row.references.join(' | '), 600)
  if (column === 'id') return row.id
  return undefined
}

function InstanceDetail(props: { row: InstanceRow; onClose: () => void }) {
  const r = props.row
  const ref = useRef<HTMLElement>(null)
  useEffect(() => ref.current?.focus(), [r])
  return (
    <section
      className="panel instance-detail"
      aria-labelledby="instance-title"
      ref={ref}
      tabIndex={-1}
      data-testid="instance-detail"
    >
      <div className="coverage-head">
        <h3 id="instance-title">
          Instance #{r.ordinal + 1}: <code>{r.id}</code> <span className="badge">{r.split}</span>
        </h3>
        <button type="button" onClick={props.onClose}>
          Close
        </button>
      </div>
      <h4>Input</h4>
      <pre className="instance-text">{r.input}</pre>
      {r.choices ? (
        <>
          <h4>Choices</h4>
          <ol type="A" className="choices">
            {r.choices.map((c, i) => (
              <li key={i}>{c}</li>
            ))}
          </ol>
        </>
      ) : null}
      <h4>References</h4>
      {r.references.map((x, i) => (
        <pre className="instance-text" key={i}>
          {x}
        </pre>
      ))}
      {Object.keys(r.metadata).length ? (
        <>
          <h4>Metadata</h4>
          <pre className="instance-text">{JSON.stringify(r.metadata, null, 2)}</pre>
        </>
      ) : null}
    </section>
  )
}

/** Every instance of a benchmark version: a virtualized table fetching pages as you scroll. */
export function InstanceBrowser(props: { benchmarkId: string; version: string }) {
  const s = useInstances()
  const { reset, ensurePage, setSearch, select } = s
  const [query, setQuery] = useState('')
  /** The row Tab lands on (a roving tab stop), kept to one rendered row. */
  const [active, setActive] = useState(0)
  const scrollRef = useRef<HTMLDivElement>(null)

  useEffect(() => {
    reset(props.benchmarkId, props.version)
    setQuery('')
  }, [props.benchmarkId, props.version, reset])

  // Search as the user types, after a short pause.
  useEffect(() => {
    if (query === s.search) return
    const t = setTimeout(() => setSearch(query), 250)
    return () => clearTimeout(t)
  }, [query, s.search, setSearch])

  const total = s.total ?? 0
  // The virtualizer spans every instance; the table holds only the rows on screen, so a
  // million-instance benchmark costs no more than a small one.
  // eslint-disable-next-line react-hooks/incompatible-library -- TanStack Virtual/Table are rebuilt each render by design
  const virtualizer = useVirtualizer({
    count: total,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 12,
  })
  const items = virtualizer.getVirtualItems()
  const data = useMemo<Slot[]>(
    () =>
      items.map((v) => ({
        index: v.index,
        row: s.pages[Math.floor(v.index / PAGE_SIZE)]?.[v.index % PAGE_SIZE] ?? null,
      })),
    [items, s.pages],
  )
  const table = useReactTable({ data, columns: COLUMNS, getCoreRowModel: getCoreRowModel() })
  const rows = table.getRowModel().rows

  useEffect(() => {
    const pages = new Set(items.map((v) => Math.floor(v.index / PAGE_SIZE)))
    for (const p of pages) void ensurePage(p)
  }, [items, ensurePage])

  const focusRow = (index: number) => {
    const i = Math.max(0, Math.min(total - 1, index))
    const rendered = scrollRef.current?.querySelector<HTMLElement>(`[data-index="${i}"]`)
    if (rendered) {
      // On screen already: move focus now, so a key pressed next acts on this row.
      rendered.focus()
      rendered.scrollIntoView({ block: 'nearest' })
      return
    }
    virtualizer.scrollToIndex(i)
    requestAnimationFrame(() => scrollRef.current?.querySelector<HTMLElement>(`[data-index="${i}"]`)?.focus())
  }
  const onRowKey = (e: KeyboardEvent<HTMLTableRowElement>, index: number, row: InstanceRow | null) => {
    if (e.key === 'ArrowDown') focusRow(index + 1)
    else if (e.key === 'ArrowUp') focusRow(index - 1)
    else if (e.key === 'PageDown') focusRow(index + 15)
    else if (e.key === 'PageUp') focusRow(index - 15)
    else if (e.key === 'Home') focusRow(0)
    else if (e.key === 'End') focusRow(total - 1)
    else if ((e.key === 'Enter' || e.key === ' ') && row) select(row)
    else return
    e.preventDefault()
  }
  const tabStop = items.some((v) => v.index === active) ? active : (items[0]?.index ?? 0)
  const widths = table.getAllLeafColumns().map((c) => `${c.getSize()}px`)
  const grid = { gridTemplateColumns: widths.join(' ') }

  return (
    <div className="instance-browser">
      <div className="inline-form browser-toolbar">
        <label htmlFor="instance-search">Search instances</label>
        <input
          id="instance-search"
          type="search"
          value={query}
          onChange={(e) => setQuery(e.target.value)}
          placeholder="id, input or reference text"
          data-testid="instance-search"
        />
        <span className="muted" role="status" data-testid="instance-total">
          {s.total === null
            ? 'Loading…'
            : `${s.total.toLocaleString()} instance${s.total === 1 ? '' : 's'}${s.search ? ' match' : ''}`}
        </span>
      </div>
      <ErrorBanner message={s.error} />
      <div className="virtual-scroll" ref={scrollRef} data-testid="instance-table">
        <table role="grid" aria-rowcount={total + 1} aria-label="Instances">
          <thead>
            {table.getHeaderGroups().map((hg) => (
              <tr key={hg.id} className="vrow" style={grid} aria-rowindex={1}>
                {hg.headers.map((h) => (
                  <th key={h.id} scope="col">
                    {flexRender(h.column.columnDef.header, h.getContext())}
                  </th>
                ))}
              </tr>
            ))}
          </thead>
          <tbody style={{ height: `${virtualizer.getTotalSize()}px` }}>
            {rows.map((row, k) => {
              const v = items[k]!
              const original = row.original.row
              return (
                <tr
                  key={row.id}
                  data-index={v.index}
                  className={`vrow${s.selected && original && s.selected.ordinal === original.ordinal ? ' selected' : ''}`}
                  style={{ ...grid, transform: `translateY(${v.start}px)`, height: `${ROW_HEIGHT}px` }}
                  tabIndex={v.index === tabStop ? 0 : -1}
                  onFocus={() => setActive(v.index)}
                  aria-rowindex={v.index + 2}
                  onClick={() => original && select(original)}
                  onKeyDown={(e) => onRowKey(e, v.index, original)}
                >
                  {row.getVisibleCells().map((c) => (
                    <td key={c.id} title={cellTitle(c.column.id, row.original.row)}>
                      {flexRender(c.column.columnDef.cell, c.getContext())}
                    </td>
                  ))}
                </tr>
              )
            })}
          </tbody>
        </table>
      </div>
      <p className="hint">Arrow keys move through the rows; Enter opens one.</p>
      {s.selected ? <InstanceDetail row={s.selected} onClose={() => select(null)} /> : null}
    </div>
  )
}
