import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import {
  APP_ORIGIN,
  CONTENT_SECURITY_POLICY,
  isAllowedNavigation,
  isAllowedRendererRequest,
  isPermissionAllowed,
  isTrustedSender,
  resolveAppAsset,
  secureWebPreferences,
} from '../../../src/main/security/policy'

const root = join(__dirname, '../../..')

describe('window options', () => {
  it('isolate, sandbox and deny Node to the renderer', () => {
    const p = secureWebPreferences('/app/preload.js')
    expect(p).toMatchObject({
      preload: '/app/preload.js',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
    })
    expect(p).not.toHaveProperty('enableBlinkFeatures')
  })
})

describe('CSP', () => {
  const metaOf = (html: string) => /http-equiv="Content-Security-Policy"\s+content="([^"]+)"/.exec(html)?.[1]
  it('the renderer page carries exactly the policy', () => {
    expect(metaOf(readFileSync(join(root, 'src/renderer/index.html'), 'utf8'))).toBe(CONTENT_SECURITY_POLICY)
  })
  it('allows no inline or remote script, no remote connections, no objects', () => {
    expect(CONTENT_SECURITY_POLICY).toContain("script-src 'self'")
    expect(CONTENT_SECURITY_POLICY).toContain("connect-src 'self'")
    expect(CONTENT_SECURITY_POLICY).toContain("object-src 'none'")
    expect(CONTENT_SECURITY_POLICY).not.toMatch(/unsafe-inline|unsafe-eval|https?:|\*/)
  })
})

describe('renderer web requests', () => {
  it.each([
    ['app://wardeval/index.html', true],
    ['app://wardeval/assets/index.js', true],
    ['data:image/png;base64,AAAA', true],
    ['app://other/index.html', false],
    ['app://user@wardeval/index.html', false],
    ['https://fonts.googleapis.com/css', false],
    ['http://127.0.0.1:11434/api/tags', false],
    ['ws://localhost:5173/', false],
    ['file:///etc/passwd', false],
    ['not a url', false],
  ])('%s → %s', (url, allowed) => {
    expect(isAllowedRendererRequest(url)).toBe(allowed)
  })
  it('lets the dev server and its HMR socket through in development only', () => {
    expect(isAllowedRendererRequest('http://localhost:5173/src/main.tsx', 'http://localhost:5173')).toBe(true)
    expect(isAllowedRendererRequest('ws://localhost:5173/', 'http://localhost:5173')).toBe(true)
    expect(isAllowedRendererRequest('http://localhost.evil:5173/', 'http://localhost:5173')).toBe(false)
    expect(isAllowedRendererRequest('http://localhost:5174/', 'http://localhost:5173')).toBe(false)
  })
})

describe('navigation, windows and permissions', () => {
  it('denies every navigation', () => {
    for (const url of ['https://example.org', `${APP_ORIGIN}/other.html`, 'javascript:alert(1)', 'file:///'])
      expect(isAllowedNavigation(url)).toBe(false)
  })
  it('denies every permission', () => {
    for (const p of ['media', 'notifications', 'geolocation', 'clipboard-read', 'openExternal', 'fullscreen'])
      expect(isPermissionAllowed(p)).toBe(false)
  })
})

describe('IPC sender', () => {
  it('accepts only the app origin top frame', () => {
    const origins = [APP_ORIGIN]
    expect(isTrustedSender({ url: 'app://wardeval/index.html', isMainFrame: true }, origins)).toBe(true)
    expect(isTrustedSender({ url: 'app://wardeval/index.html', isMainFrame: false }, origins)).toBe(false)
    expect(isTrustedSender({ url: 'https://evil/?next=app://wardeval', isMainFrame: true }, origins)).toBe(
      false,
    )
    expect(isTrustedSender({ url: 'app://wardeval.evil/', isMainFrame: true }, origins)).toBe(false)
    expect(isTrustedSender({ url: null, isMainFrame: true }, origins)).toBe(false)
    expect(isTrustedSender({ url: 'http://localhost:5173/', isMainFrame: true }, origins)).toBe(false)
    expect(
      isTrustedSender({ url: 'http://localhost:5173/', isMainFrame: true }, [
        ...origins,
        'http://localhost:5173',
      ]),
    ).toBe(true)
  })
})

describe('app:// asset resolver', () => {
  const dir = '/opt/wardeval/out/renderer'
  it('serves files under the renderer folder', () => {
    expect(resolveAppAsset(dir, 'app://wardeval/')).toBe(`${dir}/index.html`)
    expect(resolveAppAsset(dir, 'app://wardeval/assets/a.js')).toBe(`${dir}/assets/a.js`)
  })
  it('refuses traversal, other hosts and other schemes', () => {
    // URL parsing folds the dots away: the request stays inside the folder.
    expect(resolveAppAsset(dir, 'app://wardeval/../../etc/passwd')).toBe(`${dir}/etc/passwd`)
    expect(resolveAppAsset(dir, 'app://wardeval/%2e%2e/%2e%2e/etc/passwd')).toBe(`${dir}/etc/passwd`)
    // Encoded slashes survive URL parsing and would escape after decoding: refused.
    expect(resolveAppAsset(dir, 'app://wardeval/..%2f..%2fetc%2fpasswd')).toBeNull()
    expect(resolveAppAsset(dir, 'app://wardeval/assets/%2e%2e%2f%2e%2e%2f..%2fsecret')).toBeNull()
    expect(resolveAppAsset(dir, 'app://wardeval/a%00.js')).toBeNull()
    expect(resolveAppAsset(dir, 'app://other/index.html')).toBeNull()
    expect(resolveAppAsset(dir, 'file:///etc/passwd')).toBeNull()
    expect(resolveAppAsset(dir, 'app://wardeval/%E0%A4%A')).toBeNull()
  })
})
