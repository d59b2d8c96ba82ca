import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join, relative, sep } from 'node:path'
import { describe, expect, it } from 'vitest'

/**
 * "Every outbound connection goes through one module": a source scan. Outside src/main/egress no
 * code may open sockets or make HTTP requests itself, the renderer may not reach the network at
 * all, and the ollama client is only ever built with the guard's fetch. No telemetry, update
 * checks, remote fonts or other calls home.
 */
const ROOT = join(__dirname, '../../..')
const SRC = join(ROOT, 'src')

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name)
    if (statSync(p).isDirectory()) return files(p)
    return /\.(ts|tsx|css|html)$/.test(name) && !/\.test\.tsx?$/.test(name) ? [p] : []
  })
}

const rel = (p: string) => relative(ROOT, p).split(sep).join('/')
const all = files(SRC).map((p) => ({ path: rel(p), text: readFileSync(p, 'utf8') }))
const outsideEgress = all.filter((f) => !f.path.startsWith('src/main/egress/'))

function offenders(list: typeof all, pattern: RegExp): string[] {
  return list.filter((f) => pattern.test(f.text)).map((f) => f.path)
}

describe('one way out', () => {
  it('no module outside src/main/egress imports socket or HTTP client modules', () => {
    expect(
      offenders(
        outsideEgress,
        /from\s+['"](node:)?(http|https|http2|net|tls|dgram)['"]|require\(\s*['"](node:)?(http|https|http2|net|tls|dgram)['"]\s*\)/,
      ),
    ).toEqual([])
    expect(
      offenders(
        all,
        /from\s+['"](undici|axios|node-fetch|got|ws|socket\.io-client|electron-updater|update-electron-app)['"]/,
      ),
    ).toEqual([])
  })

  it('no module calls fetch, XMLHttpRequest, WebSocket, EventSource or sendBeacon itself', () => {
    expect(
      offenders(
        outsideEgress,
        /(^|[^\w.])fetch\s*\(|new\s+XMLHttpRequest|new\s+WebSocket|new\s+EventSource|sendBeacon\s*\(/m,
      ),
    ).toEqual([])
  })

  it("Electron's own network stack, auto-updater and external links are not used", () => {
    expect(
      offenders(all, /import\s*\{[^}]*\b(net|autoUpdater|crashReporter)\b[^}]*\}\s*from\s*['"]electron['"]/),
    ).toEqual([])
    expect(offenders(all, /openExternal\s*\(/)).toEqual([])
  })

  it('the ollama client is only built with the egress guard as its fetch', () => {
    const users = all.filter((f) => /from\s+['"]ollama(\/browser)?['"]/.test(f.text))
    expect(users.map((f) => f.path)).toContain('src/main/models/ollama-client.ts')
    for (const f of users) {
      expect(f.path.startsWith('src/main/'), f.path).toBe(true)
      // the default instance (`import ollama from 'ollama'`) would use the global fetch
      expect(f.text, f.path).not.toMatch(/import\s+ollama\b|import\s+\*\s+as/)
      const constructions = [...f.text.matchAll(/new\s+Ollama\s*\(([\s\S]*?)\)\s*\n/g)]
      expect(constructions.length, f.path).toBeGreaterThan(0)
      for (const c of constructions) expect(c[1], f.path).toMatch(/fetch:\s*[\w.()]*\.fetchFor\(/)
    }
  })

  it('the renderer loads no remote fonts, styles or scripts', () => {
    const web = all.filter((f) => f.path.startsWith('src/renderer/'))
    expect(
      offenders(
        web,
        /url\(\s*['"]?https?:|@import\s+(url\()?['"]?https?:|<(link|script)[^>]+(href|src)=["']https?:/i,
      ),
    ).toEqual([])
  })
})
