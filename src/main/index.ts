/**
 * The composition root: the only place (with ipc/bind-electron.ts) that knows Electron. It applies
 * the security policy, opens the core over the per-user database, binds IPC and opens the window.
 */
import { existsSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import { extname, join } from 'node:path'
import { app, BrowserWindow, dialog, protocol, safeStorage, session } from 'electron'
import { createAppContext, type AppContext } from './app/context'
import { ensureSamples } from './benchmarks/samples'
import { describeDatabaseError } from './db/errors'
import { readOnlyReason } from './db/open'
import { startAnchoring, type Anchoring } from './audit/anchoring'
import { safeStorageProtector } from './signing/safe-storage'
import type { PickFile } from './benchmarks/handlers'
import type { PickPath } from './review/handlers'
import type { PickSaveFile } from './app/save-targets'
import { resolveDbPath } from './app/paths'
import { builtWorkerScripts } from './app/worker-scripts'
import { createHandlers } from './ipc/handlers'
import { bindIpc } from './ipc/bind-electron'
import { createRouter } from './ipc/router'
import { pauseAllExecutions } from './runs/executions'
import {
  APP_ORIGIN,
  APP_SCHEME,
  CONTENT_SECURITY_POLICY_HEADER,
  isAllowedNavigation,
  isAllowedRendererRequest,
  isPermissionAllowed,
  resolveAppAsset,
  secureWebPreferences,
} from './security/policy'

const devServerUrl = !app.isPackaged ? process.env.ELECTRON_RENDERER_URL : undefined
const rendererDir = join(__dirname, '../renderer')
const resourcesDir = app.isPackaged
  ? join(process.resourcesPath, 'resources')
  : join(__dirname, '../../resources')
// better-sqlite3 built for Electron's ABI (scripts/rebuild-electron.mjs); node_modules keeps Node's.
// In development WARDEVAL_SQLITE_BINDING may point at another build of it.
const nativeBinding = app.isPackaged
  ? join(process.resourcesPath, 'native', 'better_sqlite3.node')
  : (process.env.WARDEVAL_SQLITE_BINDING ??
    join(__dirname, '../../build/native/electron/better_sqlite3.node'))

// Worker threads bundled beside this file (electron.vite.config.ts).
const builtWorkers = builtWorkerScripts(__dirname)

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
  '.json': 'application/json',
}

// A privileged custom scheme gives the renderer a real origin (checked by the CSP and the IPC
// sender check) instead of file://.
protocol.registerSchemesAsPrivileged([
  { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } },
])

function dbPathFromArgs(argv: readonly string[]): string | undefined {
  const i = argv.indexOf('--db')
  if (i >= 0) return argv[i + 1]
  const eq = argv.find((a) => a.startsWith('--db='))
  return eq?.slice('--db='.length)
}

function hardenSessions(): void {
  const ses = session.defaultSession
  ses.setPermissionRequestHandler((_wc, permission, callback) => callback(isPermissionAllowed(permission)))
  ses.setPermissionCheckHandler((_wc, permission) => isPermissionAllowed(permission))
  ses.webRequest.onBeforeRequest((details, callback) =>
    callback({ cancel: !isAllowedRendererRequest(details.url, devServerUrl) }),
  )
  app.on('web-contents-created', (_event, contents) => {
    contents.on('will-navigate', (e, url) => {
      if (!isAllowedNavigation(url)) e.preventDefault()
    })
    contents.on('will-redirect', (e, url) => {
      if (!isAllowedNavigation(url)) e.preventDefault()
    })
    contents.on('will-attach-webview', (e) => e.preventDefault())
    contents.setWindowOpenHandler(() => ({ action: 'deny' }))
  })
}

function serveAppProtocol(): void {
  protocol.handle(APP_SCHEME, async (request) => {
    if (request.method !== 'GET') return new Response('Method not allowed', { status: 405 })
    const file = resolveAppAsset(rendererDir, request.url)
    if (!file) return new Response('Not found', { status: 404 })
    try {
      const body = await readFile(file)
      return new Response(body, {
        headers: {
          'content-type': MIME[extname(file)] ?? 'application/octet-stream',
          'content-security-policy': CONTENT_SECURITY_POLICY_HEADER,
          'x-content-type-options': 'nosniff',
        },
      })
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code
      return new Response(code === 'ENOENT' ? 'Not found' : 'Error', {
        status: code === 'ENOENT' ? 404 : 500,
      })
    }
  })
}

function createWindow(): BrowserWindow {
  const win = new BrowserWindow({
    width: 1360,
    height: 880,
    minWidth: 1024,
    minHeight: 700,
    show: false,
    title: 'WardEval',
    autoHideMenuBar: true,
    // DevTools only in development: a packaged build offers no console into the renderer.
    webPreferences: secureWebPreferences(join(__dirname, '../preload/index.js'), {
      devTools: !app.isPackaged,
    }),
  })
  win.once('ready-to-show', () => win.show())
  if (devServerUrl) void win.loadURL(devServerUrl)
  else void win.loadURL(`${APP_ORIGIN}/index.html`)
  return win
}

let ctx: AppContext | undefined
let anchoring: Anchoring | undefined
const QUIT_DELIVERY_MS = 5000

function start(): void {
  hardenSessions()
  serveAppProtocol()
  if (!existsSync(nativeBinding)) {
    throw new Error(`SQLite for Electron is missing (${nativeBinding}). Run: npm run rebuild:electron`)
  }
  ctx = createAppContext({
    dbPath: resolveDbPath(dbPathFromArgs(process.argv)),
    resourcesDir,
    nativeBinding,
    // Worker threads bundled beside this file (electron.vite.config.ts).
    workers: builtWorkers,
    // The installation's private signing key is sealed with the OS key store where there is one.
    keyProtector: safeStorageProtector(safeStorage),
  })
  // Anchors after every run and scoring pass, at start when a day has passed, then daily; forwarded
  // to the log collector in the background when forwarding is set.
  anchoring = startAnchoring(ctx, {
    background: true,
    onError: (message) => console.error(`[audit] ${message}`),
  })
  // A new database gets the sample benchmarks now, whichever screen asks first (shared promise).
  ensureSamples(ctx).catch((e: unknown) =>
    console.error('Seeding the sample benchmarks failed:', e instanceof Error ? e.message : e),
  )
  const trustedOrigins = devServerUrl ? [APP_ORIGIN, new URL(devServerUrl).origin] : [APP_ORIGIN]
  const pickFile: PickFile = async ({ directory }) => {
    const win = BrowserWindow.getFocusedWindow() ?? BrowserWindow.getAllWindows()[0]
    const options = { properties: [directory ? ('openDirectory' as const) : ('openFile' as const)] }
    const r = win ? await dialog.showOpenDialog(win, options) : await dialog.showOpenDialog(options)
    return r.canceled ? null : (r.filePaths[0] ?? null)
  }
  const pickPath: PickPath = async ({ mode, suggestedName }) => {
    const win = BrowserWindow.getFocusedWindow() ?? BrowserWindow.getAllWindows()[0]
    const filters = [{ name: 'WardEval review files', extensions: ['json'] }]
    if (mode === 'save') {
      const options = { filters, ...(suggestedName ? { defaultPath: suggestedName } : {}) }
      const r = win ? await dialog.showSaveDialog(win, options) : await dialog.showSaveDialog(options)
      return r.canceled ? null : (r.filePath ?? null)
    }
    const options = { filters, properties: ['openFile' as const] }
    const r = win ? await dialog.showOpenDialog(win, options) : await dialog.showOpenDialog(options)
    return r.canceled ? null : (r.filePaths[0] ?? null)
  }
  // The save dialog belongs here; the handler that shows it records the chosen path, and only such
  // paths (or the exports folder) can be written on the renderer's request (app/save-targets.ts).
  const pickSaveFile: PickSaveFile = async ({ defaultName, extensions }) => {
    const win = BrowserWindow.getFocusedWindow() ?? BrowserWindow.getAllWindows()[0]
    const options = {
      defaultPath: join(app.getPath('documents'), defaultName),
      filters: [{ name: extensions.join(', ').toUpperCase(), extensions }],
    }
    const r = win ? await dialog.showSaveDialog(win, options) : await dialog.showSaveDialog(options)
    return r.canceled || !r.filePath ? null : r.filePath
  }
  const router = createRouter(createHandlers(ctx, { pickFile, pickPath, pickSaveFile }), {
    trustedOrigins,
    describeError: (e) => (ctx ? describeDatabaseError(e, ctx.dbPath, readOnlyReason(ctx.db)) : e),
    onInternalError: (channel, error) =>
      console.error(`[ipc] ${channel} failed:`, error instanceof Error ? error.message : error),
  })
  bindIpc(router, ctx.events)
  createWindow()
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) createWindow()
  })
}

/** Arguments after `--cli` (`WardEval --cli import csv notes.csv …`), or null for the desktop app. */
export function cliArguments(argv: readonly string[]): string[] | null {
  const i = argv.indexOf('--cli')
  return i < 0 ? null : argv.slice(i + 1)
}

/**
 * The headless CLI inside the packaged app: the same program as `wardeval`, over the app's SQLite
 * build, resources and workers, with no window. (The runAsNode fuse stays off: the app runs the
 * CLI itself rather than letting ELECTRON_RUN_AS_NODE turn it into a general Node.)
 */
function runHeadless(args: string[]): void {
  void import('./cli/program')
    .then(({ runCli, processIo }) =>
      runCli(args, processIo(), { resourcesDir, nativeBinding, workers: builtWorkers }),
    )
    .then(
      (code) => app.exit(code),
      (e: unknown) => {
        process.stderr.write(`fatal: ${e instanceof Error ? e.message : String(e)}\n`)
        app.exit(1)
      },
    )
}

function startDesktop(): void {
  app
    .whenReady()
    .then(start)
    .catch((e: unknown) => {
      const message = e instanceof Error ? e.message : String(e)
      console.error('WardEval failed to start:', message)
      dialog.showErrorBox('WardEval could not start', message)
      app.exit(1)
    })

  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit()
  })
  // Before quitting, pause running evaluations so they are recorded as paused (resumable), not
  // interrupted, then close the database.
  let quitting = false
  app.on('before-quit', (event) => {
    if (quitting || !ctx) return
    event.preventDefault()
    quitting = true
    const c = ctx
    pauseAllExecutions(c.db)
      .catch((e: unknown) =>
        console.error('Pausing runs before quitting failed:', e instanceof Error ? e.message : e),
      )
      // The paused runs' anchors are being forwarded: give the delivery a few seconds (it stays
      // queued for the next start otherwise).
      .then(() => Promise.race([anchoring?.settle(), new Promise((r) => setTimeout(r, QUIT_DELIVERY_MS))]))
      .finally(() => {
        anchoring?.stop()
        try {
          c.close()
        } catch (e) {
          // What was committed stays in the WAL; only the final checkpoint failed (full disk).
          console.error(e instanceof Error ? e.message : String(e))
        }
        ctx = undefined
        app.quit()
      })
  })
}

const cliArgs = cliArguments(process.argv)
if (cliArgs) runHeadless(cliArgs)
else startDesktop()
