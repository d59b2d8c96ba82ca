import type { reviewContract } from '../../shared/api/review'
import type { AppContext } from '../app/context'
import type { HandlersFor } from '../ipc/router'

export function reviewHandlers(_ctx: AppContext): HandlersFor<keyof typeof reviewContract> {
  return {}
}
