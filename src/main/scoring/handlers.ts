import type { scoringContract } from '../../shared/api/scoring'
import type { AppContext } from '../app/context'
import type { HandlersFor } from '../ipc/router'

export function scoringHandlers(_ctx: AppContext): HandlersFor<keyof typeof scoringContract> {
  return {}
}
