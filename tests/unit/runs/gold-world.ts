import { afterEach, beforeEach } from 'vitest'
import { startFakeOllama, type FakeOllama } from '../../support/fake-ollama'
import { tempContext, type TempContext } from '../../support/context'
import { goldOf } from './helpers'

/**
 * For each test, a fake Ollama answering every multiple-choice prompt with its gold letter and a
 * temporary context using it (both fresh per test, closed after it).
 */
export function goldServerWorld(): { ctx: TempContext; fake: FakeOllama } {
  const world = {} as { ctx: TempContext; fake: FakeOllama }
  beforeEach(async () => {
    world.fake = await startFakeOllama({ answer: (req) => goldOf(req.lastUser) })
    world.ctx = tempContext({ OLLAMA_HOST: world.fake.url })
  })
  afterEach(async () => {
    world.ctx.dispose()
    await world.fake.close()
  })
  return world
}
