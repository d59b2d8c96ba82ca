#!/usr/bin/env node
// Builds better-sqlite3 for Electron's ABI into build/native/electron/better_sqlite3.node — a copy
// beside node_modules, which stays on Node's ABI for the tests and the CLI. The app loads this copy
// (better-sqlite3's `nativeBinding` option) when it runs under Electron; packaging ships it.
// Needs Electron's headers, downloaded once by @electron/rebuild (network required).
//   node scripts/rebuild-electron.mjs [--arch x64|arm64|ia32] [--force]
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { createRequire } from 'node:module'

const root = join(import.meta.dirname, '..')
const require = createRequire(join(root, 'package.json'))
const args = process.argv.slice(2)
const arch = args.includes('--arch') ? args[args.indexOf('--arch') + 1] : process.arch
const force = args.includes('--force')
const electronVersion = require('electron/package.json').version
const sqliteVersion = require('better-sqlite3/package.json').version
const outDir = join(root, 'build', 'native', 'electron')
const out = join(outDir, 'better_sqlite3.node')
const stamp = join(outDir, 'stamp.json')
const wanted = { electronVersion, sqliteVersion, arch, platform: process.platform }

if (
  !force &&
  existsSync(out) &&
  existsSync(stamp) &&
  JSON.stringify(JSON.parse(readFileSync(stamp, 'utf8'))) === JSON.stringify(wanted)
) {
  console.log(
    `better-sqlite3 ${sqliteVersion} for Electron ${electronVersion} (${arch}) is up to date: ${out}`,
  )
  process.exit(0)
}

const work = join(root, 'build', 'native', '.work')
rmSync(work, { recursive: true, force: true })
mkdirSync(join(work, 'node_modules'), { recursive: true })
writeFileSync(
  join(work, 'package.json'),
  JSON.stringify({
    name: 'wardeval-native',
    version: '0.0.0',
    dependencies: { 'better-sqlite3': sqliteVersion },
  }),
)
cpSync(join(root, 'node_modules', 'better-sqlite3'), join(work, 'node_modules', 'better-sqlite3'), {
  recursive: true,
  dereference: true,
})
rmSync(join(work, 'node_modules', 'better-sqlite3', 'build'), { recursive: true, force: true })

console.log(
  `Building better-sqlite3 ${sqliteVersion} for Electron ${electronVersion} (${process.platform}-${arch})…`,
)
// A machine-wide npm `nodedir` (set for Node's own addons) would make node-gyp compile against
// Node's headers instead of Electron's: drop it so Electron's headers are fetched.
for (const k of Object.keys(process.env)) if (k.toLowerCase() === 'npm_config_nodedir') delete process.env[k]
const { rebuild } = await import('@electron/rebuild')
await rebuild({
  buildPath: work,
  electronVersion,
  arch,
  onlyModules: ['better-sqlite3'],
  force: true,
  buildFromSource: true,
})

const built = join(work, 'node_modules', 'better-sqlite3', 'build', 'Release', 'better_sqlite3.node')
// Sanity check: an addon built for Electron must be refused by this Node (different ABI).
try {
  require(built)
  console.error(
    `The addon was built for Node ${process.versions.node}, not for Electron ${electronVersion}: check that no nodedir overrides Electron's headers.`,
  )
  process.exit(1)
} catch (e) {
  if (!/NODE_MODULE_VERSION/.test(String(e))) throw e
}
mkdirSync(outDir, { recursive: true })
cpSync(built, out)
writeFileSync(stamp, JSON.stringify(wanted))
rmSync(work, { recursive: true, force: true })
console.log(`Wrote ${out}`)
