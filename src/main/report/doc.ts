/**
 * The report as a document: sections of plain-text blocks, built once from the database
 * (report/build-*.ts) and rendered by two renderers — HTML (report/html/) and PDF (report/pdf/).
 * Both render exactly these blocks, so the two files always say the same thing.
 *
 * Every string here is plain text, already formatted for a reader (numbers rounded, intervals
 * written out). Renderers escape it; no block carries markup except `chart.svg`, which comes from
 * the app's own chart components (report/charts.ts) and contains no script and no external URL.
 */

export type ReportSectionId =
  | 'summary'
  | 'scope'
  | 'coverage'
  | 'leaderboard'
  | 'cost'
  | 'jury'
  | 'agreement'
  | 'privacy'
  | 'limitations'
  | 'examples'

export interface ReportColumn {
  key: string
  label: string
  align?: 'left' | 'right'
}

export interface ChartBlock {
  kind: 'chart'
  title: string
  /** One plain-language line under the chart: what it shows and how to read it. */
  caption: string
  /** Text alternative for screen readers and for the PDF's text layer. */
  alt: string
  /** Self-contained <svg>…</svg> markup (inline attributes, no script, no external reference). */
  svg: string
  width: number
  height: number
}

export type ReportBlock =
  | { kind: 'heading'; text: string }
  | { kind: 'paragraph'; text: string }
  | { kind: 'callout'; tone: 'info' | 'warning'; text: string }
  | { kind: 'list'; items: string[] }
  | { kind: 'keyValues'; rows: { label: string; value: string }[] }
  | {
      kind: 'table'
      caption: string
      columns: ReportColumn[]
      rows: Record<string, string>[]
      note?: string
    }
  | ChartBlock

export interface ReportSection {
  id: ReportSectionId
  title: string
  blocks: ReportBlock[]
}

export interface ReportDoc {
  title: string
  subtitle: string
  /** ISO 8601 time the report was generated. */
  generatedAt: string
  appVersion: string
  /** Fingerprint of the installation key that signs the file (set by report/write.ts before rendering). */
  keyFingerprint?: string
  sections: ReportSection[]
}
