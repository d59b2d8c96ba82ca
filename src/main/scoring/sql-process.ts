import { spawn, type ChildProcess } from 'node:child_process'
import { closeSync, existsSync, openSync, readFileSync, readSync } from 'node:fs'
import { createRequire } from 'node:module'

/**
 * The process that runs model-written SQL. better-sqlite3 is synchronous and has no interrupt or
 * progress handler, and a worker thread cannot be stopped while it is inside SQLite (terminate()
 * waits for the native call to return — an endless query never does). A child process can always
 * be killed: its lock and its memory go with it, and the calling command exits.
 *
 * The child is this runtime's own binary run as Node (in the packaged app the Electron binary with
 * ELECTRON_RUN_AS_NODE=1, so the Electron build of better-sqlite3 loads), with:
 * - a V8 heap limit (`--max-old-space-size`) for the rows it builds;
 * - on Linux, an address-space-independent data limit (RLIMIT_DATA through util-linux `prlimit`),
 *   so SQLite's own allocations fail with "out of memory" / "too big" instead of growing; and a
 *   watchdog that kills the child when its resident memory passes the limit (where `prlimit` is
 *   missing, and as a second line);
 * - results capped in rows and in bytes inside the child, before they are sent.
 */

export const CHILD_SOURCE = /* js */ `
const Database = require(process.env.WARDEVAL_SQL_MODULE);
const binding = process.env.WARDEVAL_SQL_BINDING;
let db = null;
function size(v) {
  if (v === null) return 1;
  if (typeof v === 'string') return Buffer.byteLength(v);
  if (v instanceof Uint8Array) return v.byteLength;
  return 8;
}
try {
  db = new Database(process.env.WARDEVAL_SQL_FILE, Object.assign({ readonly: true, fileMustExist: true }, binding ? { nativeBinding: binding } : {}));
  db.pragma('query_only = ON');
  db.pragma('mmap_size = 0');
  db.pragma('temp_store = MEMORY');
  db.prepare('SELECT count(*) FROM sqlite_master').get();
  process.send({ type: 'ready' });
} catch (e) {
  if (db) db.close();
  db = null;
  process.send({ type: 'open_error', message: String((e && e.message) || e) });
}
process.on('disconnect', () => process.exit(0));
process.on('message', (msg) => {
  const reply = (result) => process.send({ type: 'result', id: msg.id, result });
  if (!db) return reply({ ok: false, kind: 'database_unavailable', message: 'the database is not open' });
  try {
    const stmt = db.prepare(msg.sql);
    if (!stmt.reader) return reply({ ok: false, kind: 'not_read_only', message: 'only statements that return rows (SELECT …) are run' });
    stmt.raw(true);
    stmt.safeIntegers(true);
    const rows = [];
    let bytes = 0;
    for (const row of stmt.iterate()) {
      rows.push(row);
      for (const v of row) bytes += size(v);
      if (rows.length > msg.maxRows) return reply({ ok: false, kind: 'too_many_rows', message: 'the query returned more than ' + msg.maxRows + ' rows' });
      if (bytes > msg.maxBytes) return reply({ ok: false, kind: 'too_large', message: 'the query returned more than ' + msg.maxBytes + ' bytes' });
    }
    reply({ ok: true, rows });
  } catch (e) {
    const code = e && e.code;
    const kind = code === 'SQLITE_NOMEM' || code === 'SQLITE_TOOBIG' ? 'out_of_memory' : 'error';
    reply({ ok: false, kind, message: String((e && e.message) || e) });
  }
});
`

export interface SqlProcessOptions {
  dbFile: string
  /** Memory the child may use, V8 heap and SQLite together (MiB). */
  memoryLimitMb: number
  nativeBinding?: string
}

const PRLIMIT = ['/usr/bin/prlimit', '/bin/prlimit'].find(
  (p) => process.platform === 'linux' && existsSync(p),
)

function betterSqlitePath(): string {
  // The core is CommonJS everywhere it runs (the bundled app, tsx, vitest, Playwright).
  return createRequire(__filename).resolve('better-sqlite3')
}

/** Starts the child over `dbFile` (already the file to open: see `openableCopy`). */
export function spawnSqlProcess(options: SqlProcessOptions): ChildProcess {
  const heapMb = Math.max(64, Math.floor(options.memoryLimitMb / 2))
  const node = [process.execPath, `--max-old-space-size=${heapMb}`, '-e', CHILD_SOURCE]
  const argv = PRLIMIT ? [PRLIMIT, `--data=${options.memoryLimitMb * 1024 * 1024}`, '--', ...node] : node
  const child = spawn(argv[0]!, argv.slice(1), {
    stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
    serialization: 'advanced',
    windowsHide: true,
    env: {
      ...process.env,
      ELECTRON_RUN_AS_NODE: '1',
      NODE_OPTIONS: '',
      WARDEVAL_SQL_MODULE: betterSqlitePath(),
      WARDEVAL_SQL_BINDING: options.nativeBinding ?? '',
      WARDEVAL_SQL_FILE: options.dbFile,
    },
  })
  live.add(child)
  child.once('exit', () => live.delete(child))
  return child
}

/** Children still running; killed if this process exits first (an orphan could run forever). */
const live = new Set<ChildProcess>()
process.once('exit', () => {
  for (const c of live) c.kill('SIGKILL')
})

/** Resident memory of a process in bytes, where the OS shows it cheaply (Linux /proc); else null. */
export function residentBytes(pid: number): number | null {
  if (process.platform !== 'linux') return null
  try {
    const pages = Number(readFileSync(`/proc/${pid}/statm`, 'utf8').split(' ')[1])
    return Number.isFinite(pages) ? pages * 4096 : null
  } catch {
    return null
  }
}

/** Is this SQLite file in WAL mode (file format version bytes 18–19 = 2)? False for anything else. */
export function isWalDatabase(file: string): boolean {
  const header = Buffer.alloc(20)
  let fd: number
  try {
    fd = openSync(file, 'r')
  } catch {
    return false
  }
  try {
    readSync(fd, header, 0, 20, 0)
  } finally {
    closeSync(fd)
  }
  return header.toString('latin1', 0, 16) === 'SQLite format 3\0' && (header[18] === 2 || header[19] === 2)
}
