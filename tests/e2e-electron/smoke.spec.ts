import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { _electron as electron, expect, test } from '@playwright/test'

const root = join(__dirname, '../..')

/** Where an Electron binary exists: ELECTRON_EXEC_PATH, or the one npm downloaded. */
function electronBinary(): string | null {
  if (process.env.ELECTRON_EXEC_PATH && existsSync(process.env.ELECTRON_EXEC_PATH))
    return process.env.ELECTRON_EXEC_PATH
  const pathTxt = join(root, 'node_modules/electron/path.txt')
  if (!existsSync(pathTxt)) return null
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const bin = require('electron') as unknown as string
  return existsSync(bin) ? bin : null
}

const binary = electronBinary()
const nativeBinding = join(root, 'build/native/electron/better_sqlite3.node')

function skipReason(): string | null {
  if (binary === null)
    return 'No Electron binary on this machine (installed with ELECTRON_SKIP_BINARY_DOWNLOAD=1, or offline); set ELECTRON_EXEC_PATH to run these.'
  if (!existsSync(nativeBinding))
    return 'better-sqlite3 is not built for Electron yet: run `npm run rebuild:electron` first.'
  return null
}
const reason = skipReason()

test.describe('Electron app', () => {
  test.skip(reason !== null, reason ?? '')

  test('opens the window with the secure preload and the shell', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'wardeval-electron-'))
    try {
      const app = await electron.launch({
        executablePath: binary!,
        args: [join(root, 'out/main/index.js'), '--no-sandbox', '--db', join(dir, 'wardeval.db')],
        env: { ...process.env, ELECTRON_RENDERER_URL: '' },
      })
      const page = await app.firstWindow()
      await page.locator('[data-app-state="ready"]').waitFor()
      expect(page.url()).toBe('app://wardeval/index.html')
      // Sandboxed, isolated, no Node: the page sees neither require nor process, only window.api.
      expect(
        await page.evaluate(() => [
          typeof (window as unknown as { require?: unknown }).require,
          typeof (window as unknown as { process?: unknown }).process,
        ]),
      ).toEqual(['undefined', 'undefined'])
      const windowCount = await app.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows().length)
      expect(windowCount).toBe(1)
      expect(
        await page.evaluate(() => Object.keys((window as unknown as { api: object }).api).sort()),
      ).toEqual(['invoke', 'on'])
      await expect(page.getByTestId('nav-taxonomy')).toBeVisible()
      const blocked = await page.evaluate(() =>
        fetch('http://127.0.0.1:9/').then(
          () => 'loaded',
          () => 'blocked',
        ),
      )
      expect(blocked).toBe('blocked')
      expect(await page.evaluate(() => window.open('http://127.0.0.1:9/') === null)).toBe(true)
      expect(await app.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows().length)).toBe(1)

      // A file import runs in the bundled import worker (out/main/import-worker.js) inside Electron.
      const csv = join(dir, 'ward.csv')
      writeFileSync(csv, 'id,question,answer\nw1,"Which drug, and why?",aspirin\nw2,Next step?,CT scan\n')
      const imported = (await page.evaluate(
        (path) =>
          (window as unknown as { api: { invoke(c: string, i: unknown): Promise<unknown> } }).api.invoke(
            'benchmarks:import',
            { format: 'csv', path, jobId: 'smoke', settings: { subcategory: 'planning_treatments' } },
          ),
        csv,
      )) as { ok: boolean; value?: { instanceCount: number; contentHash: string } }
      expect(imported.ok).toBe(true)
      expect(imported.value?.instanceCount).toBe(2)
      expect(imported.value?.contentHash).toMatch(/^[0-9a-f]{64}$/)
      await app.close()
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })
})
