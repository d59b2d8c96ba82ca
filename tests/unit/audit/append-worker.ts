// Appends N audit rows to a database file from a separate process (concurrency test).
import { appendAudit } from '../../../src/main/audit/log'
import { openDatabase } from '../../../src/main/db/open'

const [file, n, tag] = process.argv.slice(2)
const db = openDatabase(file!)
for (let i = 0; i < Number(n); i++) {
  appendAudit(db, {
    kind: 'request',
    actor: `worker-${tag}`,
    host: '127.0.0.1',
    port: 11434,
    outcome: 'ok',
    detail: `${tag}:${i}`,
  })
}
db.close()
