import { createHash } from 'node:crypto'
import { canonicalJson } from '../../../src/main/benchmarks/normalize'
import { describe, expect, it } from 'vitest'
import { PromptSpec } from '../../../src/shared/benchmarks/pack'
import { buildPrompt, letteredChoices, PromptError, promptTemplateHash } from '../../../src/main/runs/prompt'
import { samplePositions } from '../../../src/main/runs/sample'
import { backoffDelay, MAX_BACKOFF_MS } from '../../../src/main/dispatch/backoff'
import { cacheKey, effectiveGeneration } from '../../../src/main/runs/settings'

const spec = (s: Partial<PromptSpec>) => PromptSpec.parse(s)

describe('buildPrompt (MedHELM / HELM adapter layout)', () => {
  it('multiple choice: instructions block, blank line, input, options lettered "A.", output noun', () => {
    // HELM multiple_choice_joint for PubMedQA: instructions + "\n", blocks joined by "\n",
    // input_prefix "Question: ", reference_prefix "A. ", output_prefix "Answer: " stripped.
    const prompt = buildPrompt(
      spec({
        instructions: 'Answer A for yes, B for no or C for maybe.',
        template: '{{instructions}}\n\nQuestion: {{input}}\n{{choices}}',
        outputNoun: 'Answer',
      }),
      { input: 'Is aspirin an NSAID?', choices: ['yes', 'no', 'maybe'], metadata: {} },
    )
    expect(prompt).toBe(
      'Answer A for yes, B for no or C for maybe.\n\nQuestion: Is aspirin an NSAID?\nA. yes\nB. no\nC. maybe\nAnswer:',
    )
  })

  it('generation: instructions, input, then "<output noun>:"', () => {
    const prompt = buildPrompt(
      spec({
        instructions: 'Given a patient note and a clinical question, compute the requested medical value.',
        template: '{{instructions}}\n\n{{input}}',
        outputNoun: 'Answer only the requested quantity without units. No explanation needed',
      }),
      { input: 'Patient note: …\n\nQuestion: What is the MAP?', choices: null, metadata: {} },
    )
    expect(prompt).toBe(
      'Given a patient note and a clinical question, compute the requested medical value.\n\nPatient note: …\n\nQuestion: What is the MAP?\nAnswer only the requested quantity without units. No explanation needed:',
    )
  })

  it('without instructions there is no instructions block; without an output noun nothing is appended', () => {
    expect(
      buildPrompt(spec({ instructions: '', outputNoun: '' }), {
        input: 'Q?',
        choices: ['x', 'y'],
        metadata: {},
      }),
    ).toBe('Q?\nA. x\nB. y')
  })

  it('fills metadata placeholders and names the field it cannot fill', () => {
    const s = spec({ template: '{{input}} (ward {{metadata.ward}}, n={{metadata.n}})', outputNoun: '' })
    expect(buildPrompt(s, { input: 'Q', choices: null, metadata: { ward: 'ED', n: 3 } })).toBe(
      'Q (ward ED, n=3)',
    )
    expect(() => buildPrompt(s, { input: 'Q', choices: null, metadata: {} })).toThrow(PromptError)
    expect(() => buildPrompt(s, { input: 'Q', choices: null, metadata: {} })).toThrow(/metadata\.ward/)
    expect(() =>
      buildPrompt(spec({ template: '{{input}} {{choices}}' }), { input: 'Q', choices: null, metadata: {} }),
    ).toThrow(/no choices/)
    expect(() =>
      buildPrompt(spec({ template: '{{inptu}}' }), { input: 'Q', choices: null, metadata: {} }),
    ).toThrow(/unknown placeholder \{\{inptu\}\}/)
  })

  it('a multiple-choice template without {{choices}} still shows the lettered options', () => {
    expect(
      buildPrompt(spec({ template: '{{input}}', outputNoun: 'Answer' }), {
        input: 'Q',
        choices: ['a', 'b'],
        metadata: {},
      }),
    ).toBe('Q\nA. a\nB. b\nAnswer:')
    expect(letteredChoices(['a', 'b', 'c', 'd', 'e'])).toBe('A. a\nB. b\nC. c\nD. d\nE. e')
  })

  it('gives the prompts of the earlier, regex-per-instance builder (templates cut once per spec)', () => {
    // The builder before templates were compiled, kept here as the oracle.
    const earlier = (
      sp: PromptSpec,
      inst: { input: string; choices: string[] | null; metadata: Record<string, unknown> },
    ) => {
      let template = sp.template
      const instructions = sp.instructions.trim()
      if (instructions === '') template = template.replace(/\{\{\s*instructions\s*\}\}[ \t]*(?:\r?\n)*/g, '')
      const body = template.replace(/\{\{\s*([A-Za-z_][A-Za-z0-9_.-]*)\s*\}\}/g, (_m, name: string) => {
        if (name === 'instructions') return instructions
        if (name === 'input') return inst.input
        if (name === 'choices') {
          if (!inst.choices) throw new Error('no choices')
          return letteredChoices(inst.choices)
        }
        const v = inst.metadata[name.slice('metadata.'.length)]
        return typeof v === 'string' ? v : typeof v === 'number' ? String(v) : JSON.stringify(v)
      })
      const withChoices =
        inst.choices && inst.choices.length > 0 && !/\{\{\s*choices\s*\}\}/.test(sp.template)
          ? `${body.replace(/\s+$/, '')}\n${letteredChoices(inst.choices)}`
          : body
      const noun = sp.outputNoun.trim()
      const trimmed = withChoices.replace(/\s+$/, '')
      return noun === '' ? trimmed : `${trimmed}\n${noun}:`
    }
    const templates = [
      '{{instructions}}\n\n{{input}}\n{{choices}}',
      '{{ instructions }}  \r\n\r\nQ: {{input}}\n\n{{choices}}\n\n',
      '{{input}} (ward {{metadata.ward}}) {{instructions}}',
      'Case:\n{{input}}\n{{metadata.n}} {{metadata.obj}}\t \n',
      'no placeholders at all $& $1',
      '{{instructions}}{{input}}{{instructions}}',
    ]
    const instances = [
      { input: 'Is $1 an NSAID?  ', choices: ['yes', 'no'], metadata: { ward: 'ED', n: 3, obj: { a: 1 } } },
      { input: 'Free text\n', choices: null, metadata: { ward: 'ICU', n: 0, obj: [1, 2] } },
    ]
    for (const template of templates)
      for (const instructions of ['', '  Answer briefly.  '])
        for (const outputNoun of ['', 'Answer', ' Summary '])
          for (const inst of instances) {
            const sp = spec({ template, instructions, outputNoun })
            const outcome = (f: () => string) => {
              try {
                return f()
              } catch {
                return 'error'
              }
            }
            const want = outcome(() => earlier(sp, inst))
            expect(outcome(() => buildPrompt(sp, inst))).toBe(want)
            expect(outcome(() => buildPrompt(sp, inst))).toBe(want) // compiled once, same again
          }
  })

  it('the template hash changes with the text that shapes prompts, not with generation settings', () => {
    const a = spec({ instructions: 'x', maxTokens: 1 })
    expect(promptTemplateHash(a)).toMatch(/^[0-9a-f]{64}$/)
    expect(promptTemplateHash(spec({ instructions: 'x', maxTokens: 99 }))).toBe(promptTemplateHash(a))
    expect(promptTemplateHash(spec({ instructions: 'y' }))).not.toBe(promptTemplateHash(a))
  })
})

describe('samplePositions', () => {
  it('is deterministic for a seed, sorted, distinct, and differs between seeds', () => {
    const a = samplePositions(1000, 25, 7, 'medqa@abc')
    expect(a).toHaveLength(25)
    expect(new Set(a).size).toBe(25)
    expect([...a].sort((x, y) => x - y)).toEqual(a)
    expect(a.every((i) => i >= 0 && i < 1000)).toBe(true)
    expect(samplePositions(1000, 25, 7, 'medqa@abc')).toEqual(a)
    expect(samplePositions(1000, 25, 8, 'medqa@abc')).not.toEqual(a)
    expect(samplePositions(5, null, 1, 'x')).toEqual([0, 1, 2, 3, 4])
    expect(samplePositions(5, 9, 1, 'x')).toEqual([0, 1, 2, 3, 4])
  })

  it('is uniform enough: every position is picked about equally often', () => {
    const hits = new Array<number>(10).fill(0)
    for (let seed = 0; seed < 2000; seed++) for (const i of samplePositions(10, 3, seed, 'u')) hits[i]!++
    for (const h of hits) expect(h).toBeGreaterThan(500) // 600 expected
  })
})

describe('backoffDelay', () => {
  it('doubles per failed attempt, with jitter in [half, full), capped', () => {
    expect(backoffDelay(1, 500, () => 0)).toBe(250)
    expect(backoffDelay(1, 500, () => 0.999999)).toBe(500)
    expect(backoffDelay(2, 500, () => 0)).toBe(500)
    expect(backoffDelay(3, 500, () => 0)).toBe(1000)
    expect(backoffDelay(30, 500, () => 0.999999)).toBe(MAX_BACKOFF_MS)
  })
})

describe('cacheKey', () => {
  it('is sha256 of the canonical JSON of model, prompt and settings — the keys stored by earlier versions', () => {
    const g = effectiveGeneration(
      { temperature: 0, maxTokens: 5, stop: ['\n', '"'] },
      { generation: { numCtx: 4096 } },
    )
    for (const prompt of ['P', 'Line 1\nLine "2"\t\\ é – 𝔸 \u2028', '']) {
      for (const model of [
        { digest: 'sha256:abc', key: 'a/m' },
        { digest: null, key: 'b/n' },
      ]) {
        const identity = model.digest !== null ? `digest:${model.digest}` : `unverified:${model.key}`
        const expected = createHash('sha256')
          .update(canonicalJson({ v: 1, model: identity, prompt, generation: g }))
          .digest('hex')
        expect(cacheKey(model, prompt, g)).toBe(expected)
      }
    }
  })

  const g = effectiveGeneration(spec({ maxTokens: 1, temperature: 0 }), { generation: {} })
  it('is keyed by digest, full prompt and generation settings', () => {
    const k = cacheKey({ digest: 'd1', key: 'a/m' }, 'P', g)
    expect(cacheKey({ digest: 'd1', key: 'other/m' }, 'P', g)).toBe(k) // the same model served elsewhere
    expect(cacheKey({ digest: 'd2', key: 'a/m' }, 'P', g)).not.toBe(k)
    expect(cacheKey({ digest: 'd1', key: 'a/m' }, 'P ', g)).not.toBe(k)
    expect(cacheKey({ digest: 'd1', key: 'a/m' }, 'P', { ...g, temperature: 0.7 })).not.toBe(k)
    expect(
      effectiveGeneration(spec({ maxTokens: 1 }), { generation: { maxTokens: 8, temperature: 0.5 } }),
    ).toMatchObject({ maxTokens: 8, temperature: 0.5 })
  })
})
