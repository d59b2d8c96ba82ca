import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, expect, it, vi } from 'vitest'

/**
 * `WardEval --cli …`: the packaged app runs the headless CLI itself (its runAsNode fuse stays off),
 * over the app's SQLite build and resources, and opens no window.
 */
const fake = vi.hoisted(() => {
  const state = { windows: 0, whenReady: 0 }
  const electron = {
    app: {
      isPackaged: false,
      whenReady: () => {
        state.whenReady++
        return new Promise<void>(() => {})
      },
      on: () => {},
      exit: vi.fn(),
      quit: vi.fn(),
    },
    BrowserWindow: class {
      constructor() {
        state.windows++
      }
    },
    dialog: { showErrorBox: () => {}, showOpenDialog: vi.fn() },
    protocol: { registerSchemesAsPrivileged: () => {}, handle: () => {} },
    session: {},
    ipcMain: { handle: () => {}, removeHandler: () => {} },
    webContents: { getAllWebContents: () => [] },
  }
  return { state, electron }
})
vi.mock('electron', () => fake.electron)

const dir = mkdtempSync(join(tmpdir(), 'wardeval-cli-host-'))
const argv = process.argv
afterAll(() => {
  process.argv = argv
  rmSync(dir, { recursive: true, force: true })
})

it('runs the CLI headless, prints its answer and exits with its code, opening no window', async () => {
  const out: string[] = []
  const write = vi.spyOn(process.stdout, 'write').mockImplementation((s) => (out.push(String(s)), true))
  process.env.WARDEVAL_SQLITE_BINDING = require.resolve('better-sqlite3/build/Release/better_sqlite3.node')
  // Under vitest index.ts is not the bundle: its built worker scripts do not exist beside it.
  process.env.WARDEVAL_NO_SAMPLES = '1'
  process.argv = [argv[0]!, 'main.js', '--cli', '--db', join(dir, 'w.db'), 'db', 'info', '--json']
  try {
    await import('../../../src/main/index')
    await vi.waitFor(() => expect(fake.electron.app.exit).toHaveBeenCalled(), { timeout: 20_000 })
  } finally {
    write.mockRestore()
  }
  expect(fake.electron.app.exit).toHaveBeenCalledWith(0)
  expect(JSON.parse(out.join(''))).toMatchObject({
    path: join(dir, 'w.db'),
    schemaVersion: expect.any(Number),
  })
  expect(fake.state.windows).toBe(0)
  expect(fake.state.whenReady).toBe(0)
})
