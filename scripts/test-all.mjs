#!/usr/bin/env node
// `npm test`: builds the app, then runs every suite — vitest (core and main glue), Playwright in
// Chromium against the built renderer, and the Electron smoke test (skipped, with the reason, where
// no Electron binary exists) — and ends with one summary line.
import { spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs'
import { join } from 'node:path'

const root = join(import.meta.dirname, '..')
// Not test-results/: Playwright empties that folder when it starts.
const results = join(root, 'test-reports')
rmSync(results, { recursive: true, force: true })
mkdirSync(results, { recursive: true })

const bin = (name) => join(root, 'node_modules', '.bin', process.platform === 'win32' ? `${name}.cmd` : name)
function run(label, cmd, args) {
  console.log(`\n=== ${label}: ${[cmd.split('/').pop(), ...args].join(' ')}`)
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', env: process.env })
  if (r.error) throw r.error
  return r.status ?? 1
}

const chromium = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'
if (!existsSync(chromium)) {
  console.error(
    `Chromium not found at ${chromium}. Install it (Debian: apt-get install -y chromium) or set CHROMIUM_PATH.`,
  )
  process.exit(1)
}

if (run('build', bin('electron-vite'), ['build']) !== 0) process.exit(1)

const codes = []
codes.push(
  run('unit (vitest)', bin('vitest'), [
    'run',
    '--reporter=default',
    '--reporter=json',
    `--outputFile=${join(results, 'unit.json')}`,
  ]),
)
codes.push(
  run('renderer in Chromium (playwright)', bin('playwright'), ['test', '-c', 'playwright.config.ts']),
)
codes.push(
  run('electron app (playwright _electron)', bin('playwright'), [
    'test',
    '-c',
    'playwright.electron.config.ts',
  ]),
)

let passed = 0
let failed = 0
let skipped = 0
const read = (f) => (existsSync(join(results, f)) ? JSON.parse(readFileSync(join(results, f), 'utf8')) : null)
const unit = read('unit.json')
if (unit) {
  passed += unit.numPassedTests
  failed += unit.numFailedTests
  skipped += unit.numPendingTests + unit.numTodoTests
}
for (const f of ['e2e-web.json', 'e2e-electron.json']) {
  const r = read(f)
  if (!r) continue
  passed += r.stats.expected + r.stats.flaky
  failed += r.stats.unexpected
  skipped += r.stats.skipped
  if (f === 'e2e-electron.json' && r.stats.skipped > 0) {
    const reasons = new Set()
    const walk = (s) => {
      for (const spec of s.specs ?? [])
        for (const t of spec.tests ?? [])
          for (const a of t.annotations ?? []) if (a.type === 'skip') reasons.add(a.description)
      for (const c of s.suites ?? []) walk(c)
    }
    for (const s of r.suites ?? []) walk(s)
    for (const reason of reasons) console.log(`electron tests skipped: ${reason}`)
  }
}
const anyFailed = codes.some((c) => c !== 0) || failed > 0
if (codes.some((c) => c !== 0) && failed === 0) failed = 1 // a suite that crashed counts as a failure
console.log(`\ntests: ${passed} passed, ${failed} failed, ${skipped} skipped`)
process.exit(anyFailed ? 1 : 0)
