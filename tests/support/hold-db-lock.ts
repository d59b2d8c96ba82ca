/**
 * Holds a database's write lock from another process, as a long import would:
 *   node --import tsx tests/support/hold-db-lock.ts <db> <ms> [operation]
 * Writes the lock-holder note, begins an immediate transaction, writes a row, prints "locked",
 * keeps the lock for <ms>, commits, removes the note, prints "released".
 */
import Database from 'better-sqlite3'
import { writeLockNote } from '../../src/main/db/lock-note'

const [file, msText, operation = 'an import'] = process.argv.slice(2)
if (!file || !msText) throw new Error('usage: hold-db-lock.ts <db> <ms> [operation]')
const db = new Database(file)
db.pragma('busy_timeout = 10000')
const removeNote = writeLockNote(file, operation)
db.exec('BEGIN IMMEDIATE')
db.prepare(
  "INSERT INTO settings (key, value, updated_at) VALUES ('test.lock_holder', '1', 'x') ON CONFLICT(key) DO UPDATE SET value = value + 1",
).run()
process.stdout.write('locked\n')
setTimeout(() => {
  db.exec('COMMIT')
  removeNote()
  db.close()
  process.stdout.write('released\n')
}, Number(msText))
