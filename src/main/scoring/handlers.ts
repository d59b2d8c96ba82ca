import type { scoringContract } from '../../shared/api/scoring'
import type { AppContext } from '../app/context'
import type { HandlersFor } from '../../shared/api/handlers'

export function scoringHandlers(_ctx: AppContext): HandlersFor<keyof typeof scoringContract> {
  return {}
}
