/**
 * The composition root: the only place (with ipc/bind-electron.ts) that knows Electron. It applies
 * the security policy, opens the core over the per-user database, binds IPC and opens the window.
 */
import { existsSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import { extname, join } from 'node:path'
import { app, BrowserWindow, dialog, protocol, session } from 'electron'
import { createAppContext, type AppContext } from './app/context'
import type { PickFile } from './benchmarks/handlers'
import { resolveDbPath } from './app/paths'
import { createHandlers } from './ipc/handlers'
import { bindIpc } from './ipc/bind-electron'
import { createRouter } from './ipc/router'
import { pauseAllExecutions } from './runs/engine'
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
    minWidth: 960,
    minHeight: 600,
    show: false,
    title: 'WardEval',
    autoHideMenuBar: true,
    webPreferences: secureWebPreferences(join(__dirname, '../preload/index.js')),
  })
  win.once('ready-to-show', () => win.show())
  if (devServerUrl) void win.loadURL(devServerUrl)
  else void win.loadURL(`${APP_ORIGIN}/index.html`)
  return win
}

let ctx: AppContext | undefined

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
    workers: {
      import: join(__dirname, 'import-worker.js'),
      bootstrap: join(__dirname, 'bootstrap-worker.js'),
    },
  })
  const trustedOrigins = devServerUrl ? [APP_ORIGIN, new URL(devServerUrl).origin] : [APP_ORIGIN]
  const pickFile: PickFile = async ({ directory }) => {
    const win = BrowserWindow.getFocusedWindow() ?? BrowserWindow.getAllWindows()[0]
    const options = { properties: [directory ? ('openDirectory' as const) : ('openFile' as const)] }
    const r = win ? await dialog.showOpenDialog(win, options) : await dialog.showOpenDialog(options)
    return r.canceled ? null : (r.filePaths[0] ?? null)
  }
  const router = createRouter(createHandlers(ctx, { pickFile }), {
    trustedOrigins,
    onInternalError: (channel, error) =>
      console.error(`[ipc] ${channel} failed:`, error instanceof Error ? error.message : error),
  })
  bindIpc(router, ctx.events)
  createWindow()
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) createWindow()
  })
}

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
    .finally(() => {
      c.close()
      ctx = undefined
      app.quit()
    })
})
