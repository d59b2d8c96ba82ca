import type { calibrationContract } from '../../shared/api/calibration'
import type { AppContext } from '../app/context'
import type { HandlersFor } from '../../shared/api/handlers'
import { judgeBiasReport } from './bias'
import { calibrateJury, listCalibrations } from './calibration'

/** The judge bias report and the jury's calibration to the clinicians (Agreement screen). */
export function calibrationHandlers(ctx: AppContext): HandlersFor<keyof typeof calibrationContract> {
  return {
    'review:bias': ({ setId, seed }) => judgeBiasReport(ctx.db, setId, seed ?? 0),
    'review:calibrate': (input) => calibrateJury(ctx.db, input),
    'review:calibrations': () => listCalibrations(ctx.db),
  }
}
