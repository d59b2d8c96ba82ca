import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import type * as WorkerScriptsModule from '../../../src/main/app/worker-scripts'

/**
 * The composition root and the IPC binding under a fake Electron: checks the security wiring,
 * the window options, the protocol handler and that every contract channel is bound — the parts
 * the browser harness cannot see. (The real binary is exercised by tests/e2e-electron where one exists.)
 */
const fake = vi.hoisted(() => {
  type Fn = (...args: never[]) => unknown
  const state = {
    privileged: [] as unknown[],
    protocolHandlers: new Map<string, (req: Request) => Promise<Response>>(),
    ipcHandlers: new Map<string, Fn>(),
    appListeners: new Map<string, Fn>(),
    windows: [] as { options: Record<string, unknown>; url: string | null }[],
    permissionRequest: null as null | Fn,
    permissionCheck: null as null | Fn,
    beforeRequest: null as null | Fn,
    errorBox: [] as string[],
    sent: [] as [string, unknown][],
    ready: null as null | (() => void),
    /** What the fake save dialog answers. */
    saveAs: '',
  }
  class BrowserWindow {
    static all: BrowserWindow[] = []
    static getAllWindows() {
      return BrowserWindow.all
    }
    static getFocusedWindow() {
      return BrowserWindow.all[0] ?? null
    }
    record: { options: Record<string, unknown>; url: string | null }
    constructor(options: Record<string, unknown>) {
      this.record = { options, url: null }
      state.windows.push(this.record)
      BrowserWindow.all.push(this)
    }
    once() {}
    loadURL(url: string) {
      this.record.url = url
      return Promise.resolve()
    }
  }
  const electron = {
    app: {
      isPackaged: false,
      getPath: () => '/home/user/Documents',
      whenReady: () => new Promise<void>((ok) => (state.ready = ok)),
      on: (event: string, fn: Fn) => state.appListeners.set(event, fn),
      exit: vi.fn(),
      quit: vi.fn(),
    },
    BrowserWindow,
    dialog: {
      showErrorBox: (_t: string, m: string) => state.errorBox.push(m),
      showSaveDialog: vi.fn(async () => ({ canceled: false, filePath: state.saveAs })),
      showOpenDialog: vi.fn(async (_win: unknown, options: { properties: string[] }) => ({
        canceled: false,
        filePaths: [options.properties.includes('openDirectory') ? '/data/aci_bench' : '/data/notes.csv'],
      })),
    },
    protocol: {
      registerSchemesAsPrivileged: (s: unknown[]) => state.privileged.push(...s),
      handle: (scheme: string, fn: (req: Request) => Promise<Response>) =>
        state.protocolHandlers.set(scheme, fn),
    },
    session: {
      defaultSession: {
        setPermissionRequestHandler: (fn: Fn) => (state.permissionRequest = fn),
        setPermissionCheckHandler: (fn: Fn) => (state.permissionCheck = fn),
        webRequest: { onBeforeRequest: (fn: Fn) => (state.beforeRequest = fn) },
      },
    },
    safeStorage: {
      isEncryptionAvailable: () => true,
      getSelectedStorageBackend: () => 'gnome_libsecret',
      encryptString: (s: string) => Buffer.from(`sealed:${s}`),
      decryptString: (b: Buffer) => b.toString().slice('sealed:'.length),
    },
    ipcMain: {
      handle: (channel: string, fn: Fn) => state.ipcHandlers.set(channel, fn),
      removeHandler: (channel: string) => state.ipcHandlers.delete(channel),
    },
    webContents: {
      getAllWebContents: () => [
        {
          isDestroyed: () => false,
          getType: () => 'window',
          send: (c: string, p: unknown) => state.sent.push([c, p]),
        },
      ],
    },
  }
  return { state, electron }
})

vi.mock('electron', () => fake.electron)
// Run from source here, the built worker files beside the bundle do not exist: the composition
// root gets the workers' sources (as the CLI and the other tests do).
vi.mock('../../../src/main/app/worker-scripts', async (importOriginal) => {
  const original = await importOriginal<typeof WorkerScriptsModule>()
  return { ...original, builtWorkerScripts: () => original.sourceWorkerScripts() }
})
const consoleErrors = vi.spyOn(console, 'error')

const dir = mkdtempSync(join(tmpdir(), 'wardeval-root-'))
const argv = process.argv

beforeAll(async () => {
  process.argv = [...argv, '--db', join(dir, 'w.db')]
  process.env.WARDEVAL_SQLITE_BINDING = require.resolve('better-sqlite3/build/Release/better_sqlite3.node')
  process.env.OLLAMA_HOST = '127.0.0.1:9'
  await import('../../../src/main/index')
  fake.state.ready!()
  await vi.waitFor(() => expect(fake.state.windows.length).toBe(1))
})
afterAll(() => {
  process.argv = argv
  // Quitting is tested below; nothing is left to close here.
  rmSync(dir, { recursive: true, force: true })
})

describe('composition root', () => {
  it('starts without errors', async () => {
    expect(fake.state.errorBox).toEqual([])
    // The sample benchmarks are seeded in the background (through the import worker), and nothing
    // is reported as failed.
    const Database = (await import('better-sqlite3')).default
    const seeded = () => {
      const db = new Database(join(dir, 'w.db'), { readonly: true })
      try {
        return (db.prepare('SELECT COUNT(*) AS n FROM benchmarks').get() as { n: number }).n
      } finally {
        db.close()
      }
    }
    await vi.waitFor(() => expect(seeded()).toBeGreaterThan(0), { timeout: 30_000, interval: 200 })
    expect(consoleErrors).not.toHaveBeenCalled()
  })

  it('registers app:// as a privileged standard scheme and loads the renderer from it', () => {
    expect(fake.state.privileged).toEqual([
      { scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: true } },
    ])
    expect(fake.state.windows[0]!.url).toBe('app://wardeval/index.html')
  })

  it('creates the window sandboxed, isolated, without Node, with the preload', () => {
    const prefs = fake.state.windows[0]!.options.webPreferences as Record<string, unknown>
    expect(prefs).toMatchObject({
      sandbox: true,
      contextIsolation: true,
      nodeIntegration: false,
      webviewTag: false,
    })
    expect(String(prefs.preload)).toMatch(/preload[/\\]index\.js$/)
    // DevTools follow app.isPackaged: on here (the fake app is not packaged), off in packaged builds.
    expect(prefs.devTools).toBe(true)
  })

  it("seals the installation signing key with safeStorage and anchors to the data folder's anchors/", async () => {
    const call = (channel: string) =>
      (fake.state.ipcHandlers.get(channel)! as unknown as (e: unknown, raw: unknown) => Promise<unknown>)(
        { senderFrame: { url: 'app://wardeval/index.html', parent: null } },
        undefined,
      )
    expect(await call('audit:key')).toEqual({ ok: true, value: null })
    const anchor = (await call('audit:anchor')) as {
      ok: true
      value: { keyFingerprint: string; file: string }
    }
    const key = (await call('audit:key')) as { ok: true; value: { fingerprint: string; protection: string } }
    expect(key.value.protection).toBe('safeStorage')
    const stored = JSON.parse(readFileSync(join(dir, 'installation-key.json'), 'utf8')) as {
      privateKey: string
    }
    expect(Buffer.from(stored.privateKey, 'base64').toString().startsWith('sealed:')).toBe(true)
    expect(anchor.value.keyFingerprint).toBe(key.value.fingerprint)
    expect(readdirSync(join(dir, 'anchors'))).toHaveLength(1)
    const verified = (await call('audit:verify-anchored')) as {
      ok: true
      value: { ok: boolean; counts: { matched: number } }
    }
    expect(verified.value).toMatchObject({ ok: true, counts: { matched: 1 } })
  })

  it('cannot be made smaller than the 1024×700 every screen is laid out for', () => {
    expect(fake.state.windows[0]!.options).toMatchObject({ minWidth: 1024, minHeight: 700 })
  })

  it('denies every permission request and check', () => {
    const answers: boolean[] = []
    fake.state.permissionRequest!(
      null as never,
      'media' as never,
      ((ok: boolean) => answers.push(ok)) as never,
    )
    expect(answers).toEqual([false])
    expect(fake.state.permissionCheck!(null as never, 'notifications' as never)).toBe(false)
  })

  it('cancels every renderer web request that is not the app itself', () => {
    const decide = (url: string) => {
      let cancel: boolean | undefined
      fake.state.beforeRequest!({ url } as never, ((r: { cancel: boolean }) => (cancel = r.cancel)) as never)
      return cancel
    }
    expect(decide('app://wardeval/assets/index.js')).toBe(false)
    expect(decide('https://fonts.googleapis.com/css2')).toBe(true)
    expect(decide('http://127.0.0.1:11434/api/tags')).toBe(true)
  })

  it('denies navigation, redirects, webviews and new windows in every web contents', () => {
    const handlers = new Map<string, (e: { preventDefault: () => void }, url?: string) => void>()
    let openHandler: (() => unknown) | undefined
    const contents = {
      on: (ev: string, fn: (e: { preventDefault: () => void }) => void) => handlers.set(ev, fn),
      setWindowOpenHandler: (fn: () => unknown) => (openHandler = fn),
    }
    fake.state.appListeners.get('web-contents-created')!({} as never, contents as never)
    for (const ev of ['will-navigate', 'will-redirect', 'will-attach-webview']) {
      const prevent = vi.fn()
      handlers.get(ev)!({ preventDefault: prevent }, 'https://example.org')
      expect(prevent, ev).toHaveBeenCalled()
    }
    expect(openHandler!()).toEqual({ action: 'deny' })
  })

  it('serves the renderer over app:// with the CSP header and refuses escapes', async () => {
    const handle = fake.state.protocolHandlers.get('app')!
    // Under vitest the renderer folder resolves to src/renderer, whose index.html is the source page.
    const ok = await handle(new Request('app://wardeval/index.html'))
    expect(ok.status).toBe(200)
    expect(ok.headers.get('content-type')).toBe('text/html; charset=utf-8')
    expect(ok.headers.get('content-security-policy')).toMatch(/script-src 'self'.*frame-ancestors 'none'$/)
    expect(await ok.text()).toContain('<div id="root"></div>')
    const bad = await handle(new Request('app://wardeval/..%2f..%2fpackage.json'))
    expect(bad.status).toBe(404)
    const post = await handle(new Request('app://wardeval/index.html', { method: 'POST', body: 'x' }))
    expect(post.status).toBe(405)
  })

  it('binds every contract channel to the router and checks the sender', async () => {
    const { INVOKE_CHANNELS } = await import('../../../src/shared/api/contract')
    expect([...fake.state.ipcHandlers.keys()].sort()).toEqual([...INVOKE_CHANNELS].sort())
    const call = fake.state.ipcHandlers.get('app:info')! as unknown as (
      e: unknown,
      raw: unknown,
    ) => Promise<unknown>
    const top = { senderFrame: { url: 'app://wardeval/index.html', parent: null } }
    expect(await call(top, undefined)).toMatchObject({ ok: true, value: { name: 'WardEval' } })
    const iframe = { senderFrame: { url: 'app://wardeval/index.html', parent: {} } }
    expect(await call(iframe, undefined)).toMatchObject({ ok: false, error: { code: 'forbidden' } })
    const foreign = { senderFrame: { url: 'https://evil.example/', parent: null } }
    expect(await call(foreign, undefined)).toMatchObject({ ok: false, error: { code: 'forbidden' } })
    expect(await call({ senderFrame: null }, undefined)).toMatchObject({
      ok: false,
      error: { code: 'forbidden' },
    })
  })

  it('lets the renderer choose a file or folder with the native dialog', async () => {
    const call = fake.state.ipcHandlers.get('benchmarks:pick-file')! as unknown as (
      e: unknown,
      raw: unknown,
    ) => Promise<unknown>
    const top = { senderFrame: { url: 'app://wardeval/index.html', parent: null } }
    expect(await call(top, { probe: true })).toEqual({ ok: true, value: { available: true, path: null } })
    expect(await call(top, {})).toEqual({ ok: true, value: { available: true, path: '/data/notes.csv' } })
    expect(await call(top, { directory: true })).toEqual({
      ok: true,
      value: { available: true, path: '/data/aci_bench' },
    })
  })

  it("writes a file on the renderer's request only where the user chose it in the save dialog, or in exports/", async () => {
    const invoke = (channel: string) =>
      fake.state.ipcHandlers.get(channel)! as unknown as (e: unknown, raw: unknown) => Promise<unknown>
    const top = { senderFrame: { url: 'app://wardeval/index.html', parent: null } }
    const chosen = join(dir, 'chosen', 'audit.csv')
    fake.state.saveAs = chosen
    const elsewhere = join(dir, 'elsewhere.csv')
    // Before the user chose anything, a renderer-named path outside exports/ is refused.
    expect(await invoke('audit:export')(top, { file: chosen })).toMatchObject({
      ok: false,
      error: { code: 'forbidden' },
    })
    expect(
      await invoke('app:pick-save-file')(top, { defaultName: 'audit.csv', extensions: ['csv'] }),
    ).toEqual({
      ok: true,
      value: { available: true, path: chosen },
    })
    expect(await invoke('audit:export')(top, { file: chosen })).toMatchObject({
      ok: true,
      value: { file: chosen },
    })
    expect(existsSync(chosen)).toBe(true)
    for (const file of [elsewhere, join(dir, 'exports', '..', 'escape.csv')]) {
      expect(await invoke('audit:export')(top, { file })).toMatchObject({
        ok: false,
        error: { code: 'forbidden' },
      })
      expect(existsSync(file)).toBe(false)
    }
    expect(await invoke('audit:export')(top, { file: join(dir, 'exports', 'mine.csv') })).toMatchObject({
      ok: true,
    })
    expect(await invoke('runs:export-manifest')(top, { id: 1, file: elsewhere })).toMatchObject({
      ok: false,
      error: { code: 'forbidden' },
    })
  })

  it('on quit, pauses running evaluations, closes the database, then quits', async () => {
    const prevent = vi.fn()
    fake.state.appListeners.get('before-quit')!({ preventDefault: prevent } as never)
    expect(prevent).toHaveBeenCalledTimes(1)
    await vi.waitFor(() => expect(fake.electron.app.quit).toHaveBeenCalledTimes(1))
    // The second before-quit (from app.quit) goes through.
    const again = vi.fn()
    fake.state.appListeners.get('before-quit')!({ preventDefault: again } as never)
    expect(again).not.toHaveBeenCalled()
  })
})
