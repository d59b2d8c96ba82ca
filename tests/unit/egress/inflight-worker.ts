// Sends one request through the egress guard from a separate process, which the test then kills
// (SIGKILL) while the request is on the wire: a crash mid-flight.
import { openDatabase } from '../../../src/main/db/open'
import { EgressGuard } from '../../../src/main/egress/guard'

const [file, url] = process.argv.slice(2)
const db = openDatabase(file!)
const guard = new EgressGuard(db, { actor: 'worker' })
guard
  .request({
    url: url!,
    method: 'POST',
    body: JSON.stringify({
      model: 'llama3.2:3b',
      messages: [{ role: 'user', content: 'hello' }],
      stream: false,
    }),
    purpose: { kind: 'run', runId: 3, benchmark: 'medqa', instanceId: 99 },
  })
  .then(
    () => process.stdout.write('answered\n'),
    (e: unknown) => {
      process.stderr.write(`${(e as Error).message}\n`)
      process.exitCode = 1
    },
  )
