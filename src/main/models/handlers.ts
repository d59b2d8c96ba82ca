import type { modelsContract } from '../../shared/api/models'
import type { AppContext } from '../app/context'
import type { HandlersFor } from '../ipc/router'

export function modelsHandlers(_ctx: AppContext): HandlersFor<keyof typeof modelsContract> {
  return {}
}
