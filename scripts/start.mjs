#!/usr/bin/env node
// `npm start`: makes sure better-sqlite3 is built for Electron (a separate copy; node_modules stays on
// Node's ABI), builds the app and opens it with electron-vite preview. Extra arguments go to the app,
// e.g. `npm start -- --db /path/to/wardeval.db`.
import { spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { join } from 'node:path'

const root = join(import.meta.dirname, '..')
const run = (cmd, args) => {
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', shell: process.platform === 'win32' })
  if (r.status !== 0) process.exit(r.status ?? 1)
}
if (!existsSync(join(root, 'node_modules', 'electron', 'path.txt'))) {
  console.error(
    'The Electron binary is not installed (npm install ran with ELECTRON_SKIP_BINARY_DOWNLOAD=1, or offline).\n' +
      'Install it with `node node_modules/electron/install.js` where the network allows, or use the headless CLI: npm run -s cli -- --help',
  )
  process.exit(1)
}
run(process.execPath, [join(root, 'scripts', 'rebuild-electron.mjs')])
run(process.execPath, [
  join(root, 'node_modules', 'electron-vite', 'bin', 'electron-vite.js'),
  'preview',
  ...(process.argv.length > 2 ? ['--', ...process.argv.slice(2)] : []),
])
