import { posix } from 'node:path'
import { dataError } from './read'
import { parseXml, type XmlElement } from './xml'
import { openZip, type ZipArchive } from './zip'

/**
 * Reads one sheet of an .xlsx workbook as rows of text keyed by the header row, the way
 * pandas.read_excel (openpyxl) sees it: shared, inline and formula strings as text, rich-text runs
 * concatenated, Excel's _xHHHH_ escapes decoded, empty cells as null.
 */

export interface SheetRow {
  /** 1-based row number in the sheet. */
  row: number
  values: Record<string, string | null>
}

export interface Sheet {
  name: string
  columns: string[]
  rows: SheetRow[]
}

const children = (el: XmlElement, name: string) => el.children.filter((c) => c.name === name)

/** openpyxl's unescaping of _xHHHH_ sequences in cell text. */
function unescapeExcel(text: string): string {
  return text.replace(/_x([0-9A-Fa-f]{4})_/g, (_m, hex: string) => String.fromCharCode(parseInt(hex, 16)))
}

/** The text of a shared-string item or inline string: its <t>, or the <t> of each rich-text run. */
function stringItemText(item: XmlElement): string {
  const direct = children(item, 't')
  if (direct.length > 0) return direct.map((t) => t.text).join('')
  return children(item, 'r')
    .flatMap((r) => children(r, 't'))
    .map((t) => t.text)
    .join('')
}

/** Column index (0-based) of a cell reference such as "AB12". */
function columnIndex(ref: string): number {
  const letters = /^([A-Z]+)\d+$/.exec(ref)?.[1]
  if (!letters) return -1
  let n = 0
  for (const ch of letters) n = n * 26 + (ch.charCodeAt(0) - 64)
  return n - 1
}

function xml(zip: ZipArchive, entry: string): XmlElement {
  return parseXml(zip.text(entry), `${zip.file}!${entry}`)
}

/** Reads the sheet named `sheetName` (or the first sheet when it is absent). */
export async function readXlsxSheet(path: string, sheetName: string): Promise<Sheet> {
  const zip = await openZip(path, 'Excel workbook (.xlsx)')
  const workbook = xml(zip, 'xl/workbook.xml')
  const sheets = workbook.children.find((c) => c.name === 'sheets')
  const sheetEls = sheets ? children(sheets, 'sheet') : []
  if (sheetEls.length === 0) throw dataError({ file: path }, null, 'the workbook has no sheets')
  const chosen = sheetEls.find((s) => s.attributes['name'] === sheetName) ?? sheetEls[0]!
  const relId = chosen.attributes['r:id']
  const rels = xml(zip, 'xl/_rels/workbook.xml.rels')
  const target = children(rels, 'Relationship').find((r) => r.attributes['Id'] === relId)?.attributes[
    'Target'
  ]
  if (!target)
    throw dataError({ file: path }, null, `sheet "${chosen.attributes['name']}" has no worksheet part`)
  const sheetEntry = target.startsWith('/') ? target.slice(1) : posix.join('xl', target)

  const shared = zip.has('xl/sharedStrings.xml')
    ? children(xml(zip, 'xl/sharedStrings.xml'), 'si').map((si) => unescapeExcel(stringItemText(si)))
    : []
  const sheetFile = `${path}!${sheetEntry}`
  const data = xml(zip, sheetEntry).children.find((c) => c.name === 'sheetData')
  if (!data) throw dataError({ file: sheetFile }, null, 'no sheetData')

  const grid: { row: number; cells: (string | null)[] }[] = []
  for (const [i, rowEl] of children(data, 'row').entries()) {
    const rowNumber = Number(rowEl.attributes['r'] ?? i + 1)
    const cells: (string | null)[] = []
    for (const [j, c] of children(rowEl, 'c').entries()) {
      const ref = c.attributes['r']
      const col = ref ? columnIndex(ref) : j
      if (col < 0) throw dataError({ file: sheetFile, line: c.line }, 'r', `bad cell reference "${ref}"`)
      const type = c.attributes['t'] ?? 'n'
      const v = children(c, 'v')[0]?.text
      let value: string | null
      if (type === 's') {
        const k = Number(v)
        if (v === undefined || !Number.isInteger(k) || shared[k] === undefined)
          throw dataError(
            { file: sheetFile, line: c.line },
            ref ?? 'c',
            `shared string "${v}" does not exist`,
          )
        value = shared[k]!
      } else if (type === 'inlineStr') {
        const is = children(c, 'is')[0]
        value = is ? unescapeExcel(stringItemText(is)) : null
      } else if (type === 'b') value = v === undefined ? null : v === '1' ? 'TRUE' : 'FALSE'
      else value = v === undefined ? null : type === 'str' ? unescapeExcel(v) : v
      cells[col] = value
    }
    grid.push({ row: rowNumber, cells })
  }
  const header = grid.shift()
  if (!header) throw dataError({ file: sheetFile }, null, 'the sheet is empty')
  const columns = Array.from(header.cells, (c) => c ?? '')
  const rows = grid
    .filter((r) => r.cells.some((c) => c !== null && c !== undefined && c !== ''))
    .map((r) => ({
      row: r.row,
      values: Object.fromEntries(columns.map((name, k) => [name, r.cells[k] ?? null])),
    }))
  return { name: chosen.attributes['name'] ?? sheetName, columns, rows }
}
