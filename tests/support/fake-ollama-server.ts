/**
 * The fake model server as a process of its own, so a test can kill it with SIGKILL (an endpoint
 * that dies): `node --import tsx tests/support/fake-ollama-server.ts [delayMs]` prints its URL
 * on the first line, then serves until killed. Answers: the gold letter of mcInstances prompts.
 */
import { goldOf } from '../unit/runs/helpers'
import { startFakeOllama } from './fake-ollama'

const delayMs = Number(process.argv[2] ?? '0')
void startFakeOllama({
  answer: async (req) => {
    if (delayMs > 0) await new Promise((r) => setTimeout(r, delayMs))
    return goldOf(req.lastUser)
  },
}).then((fake) => process.stdout.write(`${fake.url}\n`))
