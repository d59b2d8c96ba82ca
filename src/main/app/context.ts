import { eventContract } from '../../shared/api/contract'
import { openAppContext, type AppContext, type ContextOptions } from './open-context'

export type { AppContext, ContextOptions } from './open-context'

/**
 * The AppContext for the Electron app, the tests and the benches: the database opened and the
 * event contract loaded with it. (The CLI opens its context with openAppContext, loading the
 * contract only when a command emits an event: src/main/cli/runtime.ts.)
 */
export function createAppContext(options: ContextOptions = {}): AppContext {
  return openAppContext({ ...options, loadEventContract: () => eventContract })
}
