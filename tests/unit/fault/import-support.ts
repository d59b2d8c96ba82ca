import { spawn, type ChildProcess } from 'node:child_process'
import { writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import Database from 'better-sqlite3'

/** The fault-injection suite's import side: a CLI import in a child process, and what it left. */

export const ROOT = resolve(__dirname, '../../..')

/** A CSV of `rows` EHR-like rows (about 120 bytes each). */
export function writeExtract(file: string, rows: number): void {
  const parts = ['encounter_id,ward,note,question,answer\n']
  for (let i = 1; i <= rows; i++)
    parts.push(
      `E${String(i).padStart(8, '0')},W${i % 9},"Day ${i % 30}: BP ${100 + (i % 60)}/${60 + (i % 30)}, HR ${55 + (i % 60)}",Next step?,plan ${i % 5}\n`,
    )
  writeFileSync(file, parts.join(''))
}

export const IMPORT_ARGS = [
  'import',
  'csv',
  '--map',
  'input=note+question,reference=answer,id=encounter_id',
  '--subcategory',
  'supporting_diagnostic_decisions',
  '--task-type',
  'open_ended',
  '--benchmark',
  'fault_extract',
]

/** `wardeval --db <db> import csv <file> …` in a child process (one node process: SIGKILL hits it). */
export function importInChild(dbPath: string, file: string): ChildProcess & { output: () => string } {
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      join(ROOT, 'src/main/cli/main.ts'),
      '--db',
      dbPath,
      ...IMPORT_ARGS.slice(0, 2),
      file,
      ...IMPORT_ARGS.slice(2),
    ],
    { cwd: ROOT, env: { ...process.env, WARDEVAL_NO_SAMPLES: '1' }, stdio: ['ignore', 'pipe', 'pipe'] },
  )
  let out = ''
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()))
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()))
  return Object.assign(child, { output: () => out })
}

export function exited(child: ChildProcess): Promise<number | null> {
  return child.exitCode !== null || child.signalCode !== null
    ? Promise.resolve(child.exitCode)
    : new Promise((r) => child.once('exit', (code) => r(code)))
}

/** Rows of the import's tables as a separate read-only connection sees them committed. */
export function committed(dbPath: string): {
  instances: number
  staging: number
  versions: { hash: string; n: number }[]
  benchmarks: number
} {
  const db = new Database(dbPath, { readonly: true, fileMustExist: true })
  try {
    const n = (sql: string) => (db.prepare(sql).get() as { n: number }).n
    let staging = 0
    try {
      staging = n('SELECT COUNT(*) AS n FROM import_staging')
    } catch {
      staging = 0 // the child has not created the schema yet
    }
    const visible = staging ? 'WHERE id NOT IN (SELECT version_id FROM import_staging)' : ''
    return {
      instances: n('SELECT COUNT(*) AS n FROM instances'),
      staging,
      // What readers see: versions not being staged.
      versions: db
        .prepare(`SELECT content_hash AS hash, instance_count AS n FROM benchmark_versions ${visible}`)
        .all() as { hash: string; n: number }[],
      benchmarks: n('SELECT COUNT(*) AS n FROM benchmarks'),
    }
  } finally {
    db.close()
  }
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))
