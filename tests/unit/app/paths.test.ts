import { describe, expect, it } from 'vitest'
import { defaultDataDir, resolveDbPath } from '../../../src/main/app/paths'
import { ollamaBaseUrl } from '../../../src/main/models/ollama-host'

describe('data folder', () => {
  it('matches Electron userData for the product on each OS', () => {
    expect(defaultDataDir({ HOME: '/home/ana' }, 'linux')).toBe('/home/ana/.config/WardEval')
    expect(defaultDataDir({ HOME: '/home/ana', XDG_CONFIG_HOME: '/cfg' }, 'linux')).toBe('/cfg/WardEval')
    expect(defaultDataDir({ HOME: '/Users/ana' }, 'darwin')).toBe(
      '/Users/ana/Library/Application Support/WardEval',
    )
    expect(
      defaultDataDir({ HOME: 'C:\\Users\\ana', APPDATA: 'C:\\Users\\ana\\AppData\\Roaming' }, 'win32'),
    ).toMatch(/AppData.Roaming.WardEval$/)
  })

  it('--db wins over WARDEVAL_DB, which wins over the default', () => {
    expect(resolveDbPath('/tmp/a.db', { WARDEVAL_DB: '/tmp/b.db', HOME: '/h' }, 'linux')).toBe('/tmp/a.db')
    expect(resolveDbPath(undefined, { WARDEVAL_DB: '/tmp/b.db', HOME: '/h' }, 'linux')).toBe('/tmp/b.db')
    expect(resolveDbPath(undefined, { HOME: '/h' }, 'linux')).toBe('/h/.config/WardEval/wardeval.db')
    expect(resolveDbPath(':memory:', {}, 'linux')).toBe(':memory:')
  })
})

describe('OLLAMA_HOST', () => {
  it('defaults to the local server', () => {
    expect(ollamaBaseUrl({})).toBe('http://127.0.0.1:11434')
  })
  it('reads the forms Ollama accepts', () => {
    expect(ollamaBaseUrl({ OLLAMA_HOST: '127.0.0.1:8080' })).toBe('http://127.0.0.1:8080')
    expect(ollamaBaseUrl({ OLLAMA_HOST: 'gpu-box' })).toBe('http://gpu-box:11434')
    expect(ollamaBaseUrl({ OLLAMA_HOST: 'https://llm.hospital.internal' })).toBe(
      'https://llm.hospital.internal',
    )
    expect(ollamaBaseUrl({ OLLAMA_HOST: '0.0.0.0' })).toBe('http://127.0.0.1:11434')
    expect(ollamaBaseUrl({ OLLAMA_HOST: 'http://localhost:11434/' })).toBe('http://localhost:11434')
  })
  it('rejects nonsense with a message naming the variable', () => {
    expect(() => ollamaBaseUrl({ OLLAMA_HOST: 'http://' })).toThrow(/OLLAMA_HOST/)
  })
})
