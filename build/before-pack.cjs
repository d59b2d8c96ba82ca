// electron-builder beforePack hook: build better-sqlite3 for Electron's ABI and the target arch
// before files are collected (see scripts/rebuild-electron.mjs).
const { execFileSync } = require('node:child_process')
const { join } = require('node:path')
const { Arch } = require('builder-util')

exports.default = async function beforePack(context) {
  const arch = Arch[context.arch]
  execFileSync(process.execPath, [join(__dirname, '..', 'scripts', 'rebuild-electron.mjs'), '--arch', arch], {
    stdio: 'inherit',
  })
}
