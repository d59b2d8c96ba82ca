import type { benchmarksContract } from '../../shared/api/benchmarks'
import type { AppContext } from '../app/context'
import type { HandlersFor } from '../ipc/router'

export function benchmarksHandlers(_ctx: AppContext): HandlersFor<keyof typeof benchmarksContract> {
  return {}
}
