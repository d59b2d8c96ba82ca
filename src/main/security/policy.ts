import { isAbsolute, relative, resolve, sep } from 'node:path'

/**
 * Electron security policy as pure functions: the composition root wires them into Electron,
 * the unit tests check each one. Nothing here imports Electron.
 */

/** The packaged renderer is served from this privileged custom scheme (not file://). */
export const APP_SCHEME = 'app'
export const APP_HOST = 'wardeval'
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`

/** The renderer's Content-Security-Policy; `src/renderer/index.html` carries exactly this. */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-src 'none'",
].join('; ')

/** Sent as a response header by the app:// handler: frame-ancestors only works in a header. */
export const CONTENT_SECURITY_POLICY_HEADER = `${CONTENT_SECURITY_POLICY}; frame-ancestors 'none'`

/** Who called: the sending frame's URL and whether it is the top-level frame. */
export interface SenderInfo {
  url: string | null
  isMainFrame: boolean
}

function originOf(url: string): string | null {
  try {
    const u = new URL(url)
    // WHATWG gives custom schemes an opaque origin ("null"): rebuild it from scheme and host.
    return u.origin !== 'null' ? u.origin : `${u.protocol}//${u.host}`
  } catch {
    return null
  }
}

/** Only the app's own top-level frame may call main (Electron checklist item 17). */
export function isTrustedSender(sender: SenderInfo, trustedOrigins: readonly string[]): boolean {
  if (!sender.isMainFrame || !sender.url) return false
  const origin = originOf(sender.url)
  return origin !== null && trustedOrigins.includes(origin)
}

/**
 * May the renderer's session load this URL? Its own files, inline data, and in development the
 * dev server (with its HMR socket). Everything else — any web request — is cancelled.
 */
export function isAllowedRendererRequest(url: string, devServerUrl?: string): boolean {
  let u: URL
  try {
    u = new URL(url)
  } catch {
    return false
  }
  if (u.protocol === 'data:' || u.protocol === 'blob:' || u.protocol === 'devtools:') return true
  if (u.protocol === `${APP_SCHEME}:`) return u.host === APP_HOST && u.username === '' && u.password === ''
  if (devServerUrl) {
    const dev = new URL(devServerUrl)
    const wsProtocol = dev.protocol === 'https:' ? 'wss:' : 'ws:'
    if (
      (u.protocol === dev.protocol || u.protocol === wsProtocol) &&
      u.host === dev.host &&
      u.username === ''
    )
      return true
  }
  return false
}

/** The app never navigates away from its single page, nor opens windows (items 13, 14). */
export function isAllowedNavigation(_url: string): boolean {
  return false
}

/** Camera, microphone, notifications, geolocation…: WardEval needs none (item 5). */
export function isPermissionAllowed(_permission: string): boolean {
  return false
}

/**
 * The web preferences every WardEval window is created with (items 2–4, 6, 8–11). DevTools only
 * where asked for (development): a packaged build offers no console to run code in the renderer.
 */
export function secureWebPreferences(preloadPath: string, options: { devTools?: boolean } = {}) {
  return {
    preload: preloadPath,
    devTools: options.devTools ?? false,
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    experimentalFeatures: false,
    webviewTag: false,
    spellcheck: false,
  } as const
}

/**
 * Maps an `app://wardeval/<path>` request to a file under the renderer folder, refusing other
 * hosts and any path that escapes the folder. Returns null when the request must be refused.
 */
export function resolveAppAsset(rendererDir: string, url: string): string | null {
  let u: URL
  try {
    u = new URL(url)
  } catch {
    return null
  }
  if (u.protocol !== `${APP_SCHEME}:` || u.host !== APP_HOST || u.username || u.password) return null
  let path: string
  try {
    path = decodeURIComponent(u.pathname)
  } catch {
    return null
  }
  if (path.includes('\0')) return null
  const root = resolve(rendererDir)
  const file = resolve(root, '.' + (path === '/' || path === '' ? '/index.html' : path))
  const rel = relative(root, file)
  if (rel === '' || rel.startsWith('..' + sep) || rel === '..' || isAbsolute(rel)) return null
  return file
}
