import { resolve } from 'node:path'
import { defineConfig } from 'electron-vite'
import react from '@vitejs/plugin-react'

/** `src/main/db/open.ts` → `main/db/open`; dependencies (node_modules) keep the default. */
function moduleChunkName(id: string): string | null {
  const m = /[\\/]src[\\/](.+)\.[cm]?[jt]sx?$/.exec(id)
  return m && !id.includes('node_modules') ? m[1]!.replace(/\\/g, '/') : null
}

/**
 * Bundled packages (react, recharts… for the chart worker) get a chunk per package, so no entry
 * holds a package's code that another chunk then requires back from it (a require cycle).
 */
function packageChunkName(id: string): string | null {
  const m = /[\\/]node_modules[\\/]((?:@[^\\/]+[\\/])?[^\\/]+)[\\/]/.exec(id)
  return m ? `vendor/${m[1]!.replace(/\\/g, '/')}` : null
}

// Main keeps its dependencies (better-sqlite3, ollama, zod, commander) external: they ship in
// node_modules and the native addon cannot be bundled. The preload runs sandboxed, where only
// `require('electron')` works, so everything it imports is bundled into it.
export default defineConfig({
  main: {
    build: {
      // zod is bundled (tree-shaken into one vendor chunk: no locale files), so a process that
      // validates loads one file rather than about a hundred.
      externalizeDeps: { exclude: ['zod'] },
      // Each worker thread is an entry of its own (src/main/app/workers.ts).
      rollupOptions: {
        input: {
          index: resolve('src/main/index.ts'),
          // The headless CLI (`wardeval`, package.json bin): the same core, bundled like the app.
          cli: resolve('src/main/cli/main.ts'),
          'import-worker': resolve('src/main/benchmarks/import-worker.ts'),
          'bootstrap-worker': resolve('src/main/analysis/bootstrap-worker.ts'),
          // The report's charts: the app's chart components drawn in a jsdom of the worker's own.
          'chart-worker': resolve('src/main/report/chart-worker.ts'),
          // A bulk import's checkpoint helper (src/main/db/checkpoint-helper.ts).
          'checkpoint-worker': resolve('src/main/db/checkpoint-worker.ts'),
          // The event contract (zod), required by the CLI at a command's first event (cli/main.ts).
          'event-contract': resolve('src/shared/api/contract.ts'),
        },
        output: {
          banner: (chunk) => (chunk.name === 'cli' ? '#!/usr/bin/env node' : ''),
          // One chunk per source module: a process loads only the modules it reaches, so the CLI
          // starts in well under 150 ms (a command imports its own module, not the whole core;
          // the default grouping put unrelated zod schemas beside the database opener).
          codeSplitting: {
            includeDependenciesRecursively: false,
            groups: [{ name: moduleChunkName }, { name: packageChunkName }],
          },
        },
      },
    },
  },
  preload: {
    build: {
      externalizeDeps: false,
      rollupOptions: { input: { index: resolve('src/preload/index.ts') }, output: { format: 'cjs' } },
    },
  },
  renderer: {
    root: resolve('src/renderer'),
    build: { rollupOptions: { input: resolve('src/renderer/index.html') } },
    plugins: [react()],
  },
})
