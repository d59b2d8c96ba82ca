/**
 * One CSV cell, as every CSV that WardEval writes spells it.
 *
 * - Spreadsheet formulas are neutralized (OWASP, "CSV Injection"): a cell that begins with `=`, `+`,
 *   `-`, `@`, a tab or a carriage return is prefixed with a single quote, so Excel, LibreOffice and
 *   Google Sheets show it as text instead of evaluating it. Numbers are written as numbers (a
 *   negative number stays a number: only strings are neutralized).
 * - RFC 4180 quoting: a cell with a comma, quote or line break is quoted, quotes doubled.
 */
export function csvCell(value: string | number | boolean | null | undefined): string {
  if (value === null || value === undefined) return ''
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : ''
  if (typeof value === 'boolean') return value ? 'true' : 'false'
  const s = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s
}

/** One CSV line (no line break) from its cells. */
export function csvRow(cells: readonly (string | number | boolean | null | undefined)[]): string {
  return cells.map(csvCell).join(',')
}
