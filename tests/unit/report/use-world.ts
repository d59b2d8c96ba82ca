import { afterAll, beforeAll } from 'vitest'
import { tempContext, type TempContext } from '../../support/context'
import type { FakeOllama } from '../../support/fake-ollama'
import { startFake } from '../review/helpers'
import { buildReportWorld } from './world'

export interface ReportWorld {
  ctx: TempContext
  fake: FakeOllama
}

/** Builds the world before the file's tests (and removes it after); the fields are set in beforeAll. */
export function useReportWorld(): ReportWorld {
  const world = {} as ReportWorld
  beforeAll(async () => {
    world.fake = await startFake()
    world.ctx = tempContext({ OLLAMA_HOST: world.fake.url })
    await buildReportWorld(world.ctx, world.ctx.dir)
  }, 120_000)
  afterAll(async () => {
    world.ctx.dispose()
    await world.fake.close()
  })
  return world
}
