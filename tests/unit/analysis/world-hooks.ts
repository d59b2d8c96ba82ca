import { afterAll, beforeAll } from 'vitest'
import { tempContext, type TempContext } from '../../support/context'
import type { FakeOllama } from '../../support/fake-ollama'
import { buildWorld, startWorldServer } from './world'

/**
 * The leaderboard world (./world.ts) for one vitest file: built before its tests in a temp
 * database against the world server, disposed after. `setup` runs on the built world; `forCli`
 * closes the context afterwards (the CLI opens the database itself).
 */
export function useWorld(options: { setup?: (ctx: TempContext) => void; forCli?: boolean } = {}): {
  readonly ctx: TempContext
  readonly fake: FakeOllama
} {
  const world = {} as { ctx: TempContext; fake: FakeOllama }
  beforeAll(async () => {
    const server = await startWorldServer()
    world.fake = server.fake
    world.ctx = tempContext({ OLLAMA_HOST: server.fake.url })
    await buildWorld(world.ctx, world.ctx.dir, server)
    options.setup?.(world.ctx)
    if (options.forCli) world.ctx.close()
  }, 60_000)
  afterAll(async () => {
    world.ctx.dispose()
    await world.fake.close()
  })
  return world
}
