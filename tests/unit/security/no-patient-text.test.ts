import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { runImport } from '../../../src/main/benchmarks/import'
import { AppError, foundInstead } from '../../../src/main/errors'
import { jsonSyntaxMessage } from '../../../src/main/json/syntax-error'
import { endpointClient } from '../../../src/main/models/clients'
import { addEndpoint } from '../../../src/main/models/endpoints'
import { ModelError, serverErrorText, withoutPrompt } from '../../../src/main/models/errors'
import { rougePairsFromFile } from '../../../src/main/scoring/rouge-pairs'
import { startFakeOllama, type FakeOllama } from '../../support/fake-ollama'
import { tempContext, type TempContext } from '../../support/context'

/**
 * Errors never carry patient text: bad input is named by file, line, column and field; a model
 * server's error body is kept without any 20-character stretch of the prompt, and at most 500
 * characters of it.
 */

const PATIENT = 'Patient John Doe, MRN 4471-2290, presents with chest pain radiating to the left arm'

/** No stretch of 12 or more characters of `secret` appears in `text`. */
function leaks(text: string, secret: string, min = 12): string[] {
  const found: string[] = []
  for (let i = 0; i + min <= secret.length; i++)
    if (text.includes(secret.slice(i, i + min))) found.push(secret.slice(i, i + min))
  return found
}

let dir: string
let ctx: TempContext
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'wardeval-phi-'))
  ctx = tempContext()
})
afterEach(() => {
  ctx.dispose()
  rmSync(dir, { recursive: true, force: true })
})

describe('bad input: file, line, column and field — never the content', () => {
  it('JSON parse errors name line and column and quote nothing', () => {
    for (const text of [
      `{"input": ${PATIENT}}`,
      `{"input": "${PATIENT}`,
      `["${PATIENT}" "x"]`,
      `{"a": "${PATIENT}"}}`,
    ]) {
      let native = ''
      try {
        JSON.parse(text)
      } catch (e) {
        native = (e as Error).message
      }
      // Node 20 quotes the text around an unexpected token (the reason this exists).
      if (text.startsWith('{"input": P')) expect(leaks(native, PATIENT, 6).length).toBeGreaterThan(0)
      const m = jsonSyntaxMessage(text)
      expect(m).toMatch(/^invalid JSON at line 1, column \d+: /)
      expect(leaks(m, PATIENT)).toEqual([])
    }
  })

  it('a JSONL import with a broken line', async () => {
    const file = join(dir, 'notes.jsonl')
    writeFileSync(file, `{"input": "ok", "reference": "fine"}\n{"input": ${PATIENT}, "reference": "x"}\n`)
    const e = (await runImport(ctx, {
      format: 'jsonl',
      path: file,
      settings: { subcategory: 'planning_treatments' },
    }).catch((x: unknown) => x)) as AppError
    expect(e).toBeInstanceOf(AppError)
    expect(e.message).toBe(
      'notes.jsonl line 2: invalid JSON at column 11: an unexpected character where a value was expected',
    )
    expect(leaks(JSON.stringify(e), PATIENT)).toEqual([])
  })

  it('a pack manifest and ROUGE pairs file with broken JSON', async () => {
    const pack = join(dir, 'pack')
    mkdirSync(pack)
    writeFileSync(join(pack, 'manifest.json'), `{"id": "p", "name": ${PATIENT}}`)
    writeFileSync(join(pack, 'instances.jsonl'), '{"input": "a", "references": ["b"]}\n')
    const e = (await runImport(ctx, { format: 'pack', path: pack }).catch((x: unknown) => x)) as AppError
    expect(e.message).toMatch(/^manifest\.json: invalid JSON at line 1, column 21: an unexpected character/)
    expect(leaks(e.message, PATIENT)).toEqual([])

    const pairs = join(dir, 'pairs.jsonl')
    writeFileSync(pairs, `{"prediction": "a", "reference": "b"}\n{"prediction": ${PATIENT}}\n`)
    const r = await rougePairsFromFile(pairs).then(
      () => null,
      (x: unknown) => x as Error,
    )
    expect(r!.message).toMatch(/^pairs\.jsonl line 2: invalid JSON at column \d+: /)
    expect(leaks(r!.message, PATIENT)).toEqual([])
  })
})

describe('an unexpected value is described, not quoted', () => {
  it('foundInstead says how long it is, never what it is', () => {
    expect(foundInstead(PATIENT)).toBe(`found something else (${PATIENT.length} characters)`)
    expect(foundInstead('')).toBe('found an empty value')
    expect(foundInstead('x')).toBe('found something else (1 character)')
  })
})

describe('error bodies of model servers', () => {
  it('withoutPrompt removes every stretch of 20+ characters shared with the prompt, and only those', () => {
    const prompt = `Summarize: ${PATIENT}. History of hypertension.`
    const body = `error: context too long in "${PATIENT.slice(8, 60)}" (limit 4096 tokens); see the docs`
    const kept = withoutPrompt(body, prompt)
    expect(kept).toBe('error: context too long in "[…]" (limit 4096 tokens); see the docs')
    // 19 shared characters are allowed; 20 are not.
    expect(withoutPrompt(`x${prompt.slice(0, 19)}y`, prompt)).toBe(`x${prompt.slice(0, 19)}y`)
    expect(withoutPrompt(`x${prompt.slice(0, 20)}y`, prompt)).toBe('x[…]y')
    // Overlapping and repeated echoes.
    expect(withoutPrompt(`${prompt}${prompt}`, prompt)).toBe('[…]')
  })

  it('at most 500 characters are kept', () => {
    expect(serverErrorText('e'.repeat(10_000), PATIENT).length).toBe(500)
  })

  let fake: FakeOllama
  beforeAll(async () => {
    fake = await startFakeOllama()
  })
  afterAll(() => fake.close())

  it('both clients store a server error that echoes the prompt without it', async () => {
    addEndpoint(ctx, { name: 'lab', url: fake.url, kind: 'openai' }, 'tester')
    ctx.env.OLLAMA_HOST = fake.url
    const echo = `the model failed on input: ${PATIENT} ${'padding '.repeat(200)}`
    const request = {
      model: 'llama3.2:3b',
      messages: [{ role: 'user' as const, content: `Triage this: ${PATIENT}` }],
    }
    for (const name of ['ollama', 'lab']) {
      fake.clearFaults()
      fake.inject({ fault: { type: 'status', status: 500, body: JSON.stringify({ error: echo }) } })
      const e = await endpointClient(ctx, name)
        .chat(request, { purpose: { kind: 'status_check' }, timeoutMs: 5_000 })
        .catch((x: unknown) => x)
      expect(e, name).toBeInstanceOf(ModelError)
      const message = (e as ModelError).message
      expect(message, name).toContain('HTTP 500')
      // ": Patient John Doe…" is shared with the prompt ("Triage this: Patient…"): removed with it.
      expect(message, name).toContain('HTTP 500: the model failed on input[…] padding padding')
      expect(leaks(message, PATIENT, 20), name).toEqual([])
      expect(message.length, name).toBeLessThan(560)
    }
    fake.clearFaults()
  })
})
