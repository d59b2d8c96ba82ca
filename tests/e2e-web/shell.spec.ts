import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { expectAccessible } from './a11y'
import { expect, test } from './fixtures'

const SECTIONS = [
  ['taxonomy', 'Taxonomy'],
  ['benchmarks', 'Benchmarks'],
  ['models', 'Models'],
  ['runs', 'Runs'],
  ['leaderboard', 'Leaderboard'],
  ['review', 'Review'],
  ['audit', 'Privacy & Audit'],
] as const

test('every section of the shell is reachable and says what it is for', async ({ page, open }) => {
  await open()
  for (const [id, title] of SECTIONS) {
    await page.getByTestId(`nav-${id}`).click()
    const screen = page.getByTestId(`screen-${id}`)
    await expect(screen).toBeVisible()
    await expect(screen.getByRole('heading', { level: 1 })).toHaveText(title)
    await expect(page.getByTestId(`nav-${id}`)).toHaveAttribute('aria-current', 'page')
    await expectAccessible(page, `shell: ${id}`)
  }
})

test('keyboard: Ctrl+digit jumps to a section and arrow keys move through the navigation', async ({
  page,
  open,
}) => {
  await open()
  await page.keyboard.press('Control+3')
  await expect(page.getByTestId('screen-models')).toBeVisible()
  await page.getByTestId('nav-models').focus()
  await page.keyboard.press('ArrowDown')
  await expect(page.getByTestId('screen-runs')).toBeVisible()
  await expect(page.getByTestId('nav-runs')).toBeFocused()
  await page.keyboard.press('ArrowUp')
  await page.keyboard.press('ArrowUp')
  await expect(page.getByTestId('screen-benchmarks')).toBeVisible()
})

test('the status bar says Ollama is not answering when nothing listens', async ({ page, open }) => {
  await open()
  const status = page.getByTestId('ollama-status')
  await expect(status).toHaveAttribute('data-state', 'down')
  await expect(status).toContainText('Ollama not answering at http://127.0.0.1:')
})

test.describe('with an Ollama server answering', () => {
  let close: () => Promise<void> = async () => {}
  let port = 0
  test.beforeAll(async () => {
    const server = createServer((req, res) => {
      if (req.url === '/api/version')
        res.writeHead(200, { 'content-type': 'application/json' }).end('{"version":"0.9.9"}')
      else res.writeHead(404).end()
    })
    await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok))
    port = (server.address() as AddressInfo).port
    close = () => new Promise((ok) => server.close(() => ok()))
  })
  test.afterAll(async () => close())
  test.use({ appEnv: {} })

  test('the status bar shows the version it answered with', async ({ page, ctx, open }) => {
    ctx.env.OLLAMA_HOST = `127.0.0.1:${port}`
    await open()
    const status = page.getByTestId('ollama-status')
    await expect(status).toHaveAttribute('data-state', 'up')
    await expect(status).toContainText(`Ollama 0.9.9 answering at http://127.0.0.1:${port}`)
  })
})

test('the page runs under the strict CSP and has no Node or Electron globals', async ({
  page,
  open,
  pageErrors,
}) => {
  await open()
  const globals = await page.evaluate(() => ({
    require: typeof (window as unknown as { require?: unknown }).require,
    process: typeof (window as unknown as { process?: unknown }).process,
    electron: 'electron' in window,
    api: Object.keys((window as unknown as { api: object }).api).sort(),
  }))
  expect(globals).toEqual({
    require: 'undefined',
    process: 'undefined',
    electron: false,
    api: ['invoke', 'on'],
  })
  const violation = await page.evaluate(
    () =>
      new Promise<string>((resolve) => {
        document.addEventListener('securitypolicyviolation', (e) => resolve(e.violatedDirective), {
          once: true,
        })
        const s = document.createElement('script')
        s.textContent = 'window.__injected = true'
        document.body.appendChild(s)
        setTimeout(() => resolve('none'), 2000)
      }),
  )
  expect(violation).toMatch(/^script-src/)
  expect(
    await page.evaluate(() => (window as unknown as { __injected?: boolean }).__injected),
  ).toBeUndefined()
  // The refusal is logged as an error; it is the expected one, and the only one.
  expect(pageErrors.splice(0)).toEqual([expect.stringMatching(/Content Security Policy/)])
})

test('an invalid call is refused with a typed error naming the field', async ({ page, open }) => {
  await open()
  const result = await page.evaluate(() =>
    (window as unknown as { api: { invoke: (c: string, i: unknown) => Promise<unknown> } }).api.invoke(
      'app:info',
      {
        unexpected: 1,
      },
    ),
  )
  expect(result).toMatchObject({ ok: false, error: { code: 'invalid_input' } })
  const unknown = await page.evaluate(() =>
    (window as unknown as { api: { invoke: (c: string, i: unknown) => Promise<unknown> } }).api.invoke(
      'fs:read',
      '/etc/passwd',
    ),
  )
  expect(unknown).toMatchObject({ ok: false, error: { code: 'unknown_channel' } })
})
