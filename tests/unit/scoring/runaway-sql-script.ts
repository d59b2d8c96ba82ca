// Run by runaway-sql.test.ts as its own process: one endless query with a short time limit, then
// the script simply returns. The process must exit by itself (nothing left running inside SQLite).
import { ReadOnlySqlRunner } from '../../../src/main/scoring/readonly-sql'

const runner = new ReadOnlySqlRunner(process.argv[2]!, { timeoutMs: 400 })
void runner
  .run('WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT count(*) FROM c')
  .then((r) => {
    process.stdout.write(JSON.stringify(r.ok ? { ok: true } : { ok: false, kind: r.kind }))
  })
