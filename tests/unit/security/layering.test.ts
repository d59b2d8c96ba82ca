import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join, relative } from 'node:path'
import { describe, expect, it } from 'vitest'

const root = join(__dirname, '../../..')

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name)
    return statSync(p).isDirectory() ? filesUnder(p) : /\.(ts|tsx)$/.test(name) ? [p] : []
  })
}

const importsOf = (file: string, mod: RegExp) =>
  [...readFileSync(file, 'utf8').matchAll(/(?:from\s+|import\s*\(\s*|require\(\s*)['"]([^'"]+)['"]/g)].some(
    (m) => mod.test(m[1]!),
  )

describe('layering', () => {
  it('only the composition root and the IPC binding import electron in src/main', () => {
    const offenders = filesUnder(join(root, 'src/main'))
      .filter((f) => importsOf(f, /^electron$/))
      .map((f) => relative(root, f))
      .sort()
    expect(offenders).toEqual(['src/main/index.ts', 'src/main/ipc/bind-electron.ts'])
  })

  it('shared code imports neither electron nor Node built-ins', () => {
    const offenders = filesUnder(join(root, 'src/shared')).filter((f) => importsOf(f, /^(electron$|node:)/))
    expect(offenders).toEqual([])
  })

  it('no feature module imports from src/main/ipc (the handler-map types sit by the contract)', () => {
    const offenders = filesUnder(join(root, 'src/main'))
      .filter((f) => {
        const rel = relative(join(root, 'src/main'), f)
        // The IPC layer itself and the composition root sit above the features.
        return !rel.startsWith('ipc') && rel !== 'index.ts'
      })
      .filter((f) => importsOf(f, /(^|\/)ipc\//))
      .map((f) => relative(root, f))
    expect(offenders).toEqual([])
  })

  it('the renderer imports nothing from main, Node or Electron', () => {
    const offenders = filesUnder(join(root, 'src/renderer')).filter((f) =>
      importsOf(f, /^(electron|better-sqlite3|ollama)$|^node:|\/main\//),
    )
    expect(offenders).toEqual([])
  })
})
