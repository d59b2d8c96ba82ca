import type { benchmarksContract } from '../../shared/api/benchmarks'
import type { AppContext } from '../app/context'
import type { HandlersFor } from '../../shared/api/handlers'
import { runImport } from './import'
import { previewImport } from './preview'
import { importerInfos } from './importers'
import { benchmarkUsage, deleteBenchmark, getBenchmark, instancesPage, listBenchmarks } from './queries'
import { loadResources } from './resources'
import { ensureSamples, restoreSamples } from './samples'
import { addTask, mapTask, removeTask, taxonomyView, updateTask } from './taxonomy'

/** A native file chooser the host may supply (the Electron root: dialog.showOpenDialog). */
export type PickFile = (options: { directory: boolean }) => Promise<string | null>

export interface BenchmarksDeps {
  /** Absent where no native dialog exists (browser tests, headless): the user types the path. */
  pickFile?: PickFile
}

export function benchmarksHandlers(
  ctx: AppContext,
  deps: BenchmarksDeps = {},
): HandlersFor<keyof typeof benchmarksContract> {
  const res = () => loadResources(ctx.resourcesDir)
  /** Reads wait for the first-open seeding of the bundled samples (a no-op once done). */
  const ready = () => ensureSamples(ctx)
  return {
    'taxonomy:get': async () => {
      await ready()
      return taxonomyView(ctx.db, res())
    },
    'taxonomy:add-task': ({ subcategoryId, name }) => addTask(ctx.db, res(), subcategoryId, name),
    'taxonomy:update-task': ({ taskId, ...change }) => updateTask(ctx.db, res(), taskId, change),
    'taxonomy:remove-task': ({ taskId }) => ({ removed: removeTask(ctx.db, res(), taskId) }),
    'taxonomy:map-task': ({ taskId, benchmarkId, mapped }) =>
      mapTask(ctx.db, res(), taskId, benchmarkId, mapped),
    'benchmarks:catalog': () => res().catalog.benchmarks,
    'benchmarks:list': async () => {
      await ready()
      return listBenchmarks(ctx.db, res())
    },
    'benchmarks:get': ({ id }) => getBenchmark(ctx.db, res(), id),
    'benchmarks:instances': (q) => instancesPage(ctx.db, q),
    'benchmarks:usage': ({ id }) => benchmarkUsage(ctx.db, id),
    'benchmarks:delete': ({ id }) => ({ deleted: deleteBenchmark(ctx.db, id) }),
    'benchmarks:restore-samples': async () => ({ restored: await restoreSamples(ctx) }),
    'benchmarks:formats': () => importerInfos(),
    'benchmarks:pick-file': async ({ directory, probe }) =>
      !deps.pickFile
        ? { available: false, path: null }
        : { available: true, path: probe ? null : await deps.pickFile({ directory }) },
    'benchmarks:preview': (req) => previewImport(ctx, req),
    'benchmarks:import': async ({ jobId, ...req }) => {
      await ready()
      return runImport(ctx, req, { jobId })
    },
  }
}
