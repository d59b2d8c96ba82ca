import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import type { AuditRow } from '../../../src/main/audit/chain'
import { listModels } from '../../../src/main/models/catalog'
import { chatClientFor, endpointClient, parseModelKey } from '../../../src/main/models/clients'
import { addEndpoint } from '../../../src/main/models/endpoints'
import { ModelError } from '../../../src/main/models/errors'
import { overrideEgressNetworkForTests } from '../../../src/main/egress'
import { checkOllamaStatus } from '../../../src/main/models/ollama-status'
import type { ChatClient } from '../../../src/main/models/types'
import { fakeDigest, startFakeOllama, type FakeChatRequest, type FakeOllama } from '../../support/fake-ollama'
import { tempContext, type TempContext } from '../../support/context'
import { scriptedNetwork } from '../egress/helpers'

let fake: FakeOllama
let ctx: TempContext
const seen: FakeChatRequest[] = []

beforeAll(async () => {
  fake = await startFakeOllama({
    answer: (req) => {
      seen.push(req)
      if (req.lastUser.includes('capital of France'))
        return { text: 'The capital of France is Paris.', promptTokens: 21, completionTokens: 8 }
      if (req.lastUser.includes('long')) return { text: 'cut off', doneReason: 'length' }
      return `Echo: ${req.lastUser}`
    },
  })
})
afterAll(() => fake.close())
beforeEach(() => {
  ctx = tempContext({ OLLAMA_HOST: fake.url })
  fake.reset()
  fake.clearFaults()
  seen.length = 0
})
afterEach(() => ctx.dispose())

const purpose = { kind: 'run', runId: 3, benchmark: 'medqa', instanceId: 11 } as const
const rows = () => ctx.db.prepare('SELECT * FROM audit_log ORDER BY seq').all() as AuditRow[]
const question = {
  model: 'llama3.2:3b',
  messages: [{ role: 'user' as const, content: 'What is the capital of France?' }],
}

function clients(): [string, ChatClient][] {
  addEndpoint(ctx, { name: 'lab', url: fake.url, kind: 'openai' }, 'tester')
  return [
    ['ollama', endpointClient(ctx, 'ollama')],
    ['openai', endpointClient(ctx, 'lab')],
  ]
}

describe('ChatClient against Ollama and OpenAI-compatible servers', () => {
  for (const stream of [false, true]) {
    it(`answers with text, token counts and durations (${stream ? 'streaming' : 'one response'})`, async () => {
      for (const [kind, client] of clients()) {
        const deltas: string[] = []
        const r = await client.chat(question, {
          purpose,
          stream,
          onDelta: stream ? (d) => deltas.push(d) : undefined,
        })
        expect(r.text, kind).toBe('The capital of France is Paris.')
        expect(r.promptTokens, kind).toBe(21)
        expect(r.completionTokens, kind).toBe(8)
        expect(r.finishReason, kind).toBe('stop')
        expect(r.durations.wallMs, kind).toBeGreaterThan(0)
        if (stream) expect(deltas.join(''), kind).toBe('The capital of France is Paris.')
        if (stream) expect(deltas.length, kind).toBeGreaterThan(1)
        if (kind === 'ollama') {
          expect(r.durations).toMatchObject({ totalMs: 1250, loadMs: 50, promptEvalMs: 200, evalMs: 1000 })
        } else {
          expect(r.durations.totalMs).toBeNull()
        }
      }
      const chats = fake.requests.filter((q) => q.path === '/api/chat' || q.path === '/v1/chat/completions')
      expect(chats.map((q) => q.path)).toEqual(['/api/chat', '/v1/chat/completions'])
      expect(seen.map((s) => s.stream)).toEqual([stream, stream])
      // each chat is one audited request with its purpose (its write-ahead intent row)
      const audited = rows().filter((r) => r.kind === 'request' && r.outcome === 'intent')
      expect(audited).toHaveLength(2)
      for (const r of audited) expect(JSON.parse(r.purpose_json)).toEqual(purpose)
    })
  }

  it('passes temperature, seed, num_ctx and num_predict', async () => {
    const [[, ollama], [, openai]] = clients() as [[string, ChatClient], [string, ChatClient]]
    const options = { temperature: 0, seed: 42, numCtx: 8192, numPredict: 256, topP: 0.9, stop: ['</s>'] }
    await ollama.chat({ ...question, options }, { purpose })
    await openai.chat({ ...question, options }, { purpose })
    expect(seen[0]!.options).toEqual({
      temperature: 0,
      seed: 42,
      num_ctx: 8192,
      num_predict: 256,
      top_p: 0.9,
      stop: ['</s>'],
    })
    expect(seen[1]!.options).toEqual({
      temperature: 0,
      seed: 42,
      max_tokens: 256,
      top_p: 0.9,
      stop: ['</s>'],
    })
  })

  it('reports the finish reason when the answer was cut at the token limit', async () => {
    const [[, ollama]] = clients() as [[string, ChatClient]]
    const r = await ollama.chat(
      { model: 'llama3.2:3b', messages: [{ role: 'user', content: 'a long one' }] },
      { purpose },
    )
    expect(r.finishReason).toBe('length')
  })

  it('gives the model digest once the model has been listed', async () => {
    const before = chatClientFor(ctx, 'ollama/llama3.2:3b')
    expect(before.digest).toBeNull()
    await listModels(ctx, { refresh: true })
    const after = chatClientFor(ctx, 'ollama/llama3.2:3b')
    expect(after.digest).toBe(fakeDigest('llama3.2:3b'))
    const r = await after.client.chat({ ...question, model: after.model }, { purpose })
    expect(r.modelDigest).toBe(fakeDigest('llama3.2:3b'))
  })

  it('splits model keys at the first slash', () => {
    expect(parseModelKey('lab/meta-llama/Llama-3.1-8B-Instruct')).toEqual({
      endpoint: 'lab',
      model: 'meta-llama/Llama-3.1-8B-Instruct',
    })
    expect(() => parseModelKey('llama3')).toThrow(/<endpoint>\/<model>/)
  })
})

describe('faults are typed ModelErrors', () => {
  const cases: {
    name: string
    path: [string, string]
    fault: Parameters<FakeOllama['inject']>[0]['fault']
    kind: string
    retryable: boolean
    stream?: boolean
  }[] = [
    {
      name: 'HTTP 500',
      path: ['/api/chat', '/v1/chat/completions'],
      fault: { type: 'status', status: 500 },
      kind: 'http',
      retryable: true,
    },
    {
      name: 'HTTP 400',
      path: ['/api/chat', '/v1/chat/completions'],
      fault: { type: 'status', status: 400 },
      kind: 'http',
      retryable: false,
    },
    {
      name: 'dropped connection',
      path: ['/api/chat', '/v1/chat/completions'],
      fault: { type: 'drop' },
      kind: 'unreachable',
      retryable: true,
    },
    {
      name: 'dropped mid-body',
      path: ['/api/chat', '/v1/chat/completions'],
      fault: { type: 'drop-mid-body' },
      kind: 'unreachable',
      retryable: true,
    },
    {
      name: 'malformed JSON',
      path: ['/api/chat', '/v1/chat/completions'],
      fault: { type: 'malformed-json' },
      kind: 'protocol',
      retryable: true,
    },
    {
      name: 'malformed stream',
      path: ['/api/chat', '/v1/chat/completions'],
      fault: { type: 'malformed-json' },
      kind: 'protocol',
      retryable: true,
      stream: true,
    },
  ]
  for (const c of cases) {
    it(c.name, async () => {
      const list = clients()
      for (const [i, [kind, client]] of list.entries()) {
        fake.inject({ match: c.path[i], fault: c.fault, times: 1 })
        const err = await client
          .chat(question, { purpose, stream: c.stream ?? false })
          .catch((e: unknown) => e)
        expect(err, `${kind}: ${String(err)}`).toBeInstanceOf(ModelError)
        expect((err as ModelError).kind, `${kind}: ${(err as Error).message}`).toBe(c.kind)
        expect((err as ModelError).retryable, kind).toBe(c.retryable)
        if (c.kind === 'http') expect((err as ModelError).status).toBe((c.fault as { status: number }).status)
      }
      // every failed call is still in the audit log (an outcome row for each intent)
      expect(rows().filter((r) => r.kind === 'request' && r.outcome !== 'intent')).toHaveLength(2)
    })
  }

  it('slow server: timeout', async () => {
    for (const [kind, client] of clients()) {
      fake.inject({ match: /chat/, fault: { type: 'delay', ms: 400 }, times: 1 })
      const err = await client.chat(question, { purpose, timeoutMs: 100 }).catch((e: unknown) => e)
      expect((err as ModelError).kind, kind).toBe('timeout')
    }
    expect(rows().filter((r) => r.outcome === 'timeout')).toHaveLength(2)
  })

  it('cancelled by the caller', async () => {
    for (const [kind, client] of clients()) {
      fake.inject({ match: /chat/, fault: { type: 'delay', ms: 400 }, times: 1 })
      const ac = new AbortController()
      setTimeout(() => ac.abort(), 50)
      const err = await client.chat(question, { purpose, signal: ac.signal }).catch((e: unknown) => e)
      expect((err as ModelError).kind, kind).toBe('aborted')
      expect((err as ModelError).retryable).toBe(false)
    }
  })

  it('unknown model', async () => {
    for (const [kind, client] of clients()) {
      const err = await client.chat({ ...question, model: 'nope:1b' }, { purpose }).catch((e: unknown) => e)
      expect((err as ModelError).kind, `${kind}: ${(err as Error).message}`).toBe('model_not_found')
      expect((err as ModelError).code).toBe('not_found')
    }
  })

  it('server not running', async () => {
    const closed = await startFakeOllama()
    const url = closed.url
    await closed.close()
    ctx.env.OLLAMA_HOST = url
    const err = await endpointClient(ctx, 'ollama')
      .chat(question, { purpose })
      .catch((e: unknown) => e)
    expect((err as ModelError).kind).toBe('unreachable')
    expect((err as ModelError).code).toBe('unavailable')
  })
})

describe('model listing', () => {
  it('lists models of every endpoint with digest, size, family, parameters, quantization and context length', async () => {
    addEndpoint(ctx, { name: 'lab', url: `${fake.url}/v1`, kind: 'openai' }, 'tester')
    const l = await listModels(ctx, { refresh: true })
    expect(l.failures).toEqual([])
    const llama = l.models.find((m) => m.key === 'ollama/llama3.2:3b')!
    expect(llama).toMatchObject({
      endpoint: 'ollama',
      digest: fakeDigest('llama3.2:3b'),
      sizeBytes: 2019393189,
      family: 'llama',
      parameterSize: '3.2B',
      quantization: 'Q4_K_M',
      contextLength: 131072,
    })
    expect(l.models.filter((m) => m.endpoint === 'lab').map((m) => [m.name, m.digest])).toEqual([
      ['llama3.2:3b', null],
      ['qwen2.5:7b', null],
    ])
    expect(fake.requests.map((r) => r.path).sort()).toEqual([
      '/api/show',
      '/api/show',
      '/api/tags',
      '/v1/models',
    ])
    expect(
      rows()
        .filter((r) => r.kind === 'request')
        .every((r) => JSON.parse(r.purpose_json).kind === 'model_listing'),
    ).toBe(true)
  })

  it('drops models the server no longer has, and reports a failing endpoint without losing what was seen', async () => {
    await listModels(ctx, { refresh: true })
    fake.setModels([{ name: 'llama3.2:3b' }])
    expect((await listModels(ctx, { refresh: true })).models.map((m) => m.name)).toEqual(['llama3.2:3b'])
    fake.inject({ match: '/api/tags', fault: { type: 'status', status: 503 }, times: 1 })
    const l = await listModels(ctx, { refresh: true })
    expect(l.models.map((m) => m.name)).toEqual(['llama3.2:3b'])
    expect(l.failures).toEqual([
      { endpoint: 'ollama', error: expect.stringContaining('HTTP 503'), errorKind: 'http' },
    ])
    fake.setModels([
      {
        name: 'llama3.2:3b',
        family: 'llama',
        parameterSize: '3.2B',
        quantization: 'Q4_K_M',
        size: 2019393189,
        contextLength: 131072,
      },
      { name: 'qwen2.5:7b' },
    ])
  })
})

describe('status checks go through the guard', () => {
  it('app:ollama-status asks /api/version and is audited as a status check', async () => {
    const s = await checkOllamaStatus(ctx)
    expect(s).toMatchObject({ url: fake.url, reachable: true, version: '0.12.6', error: null })
    const req = rows().filter((r) => r.kind === 'request' && r.outcome === 'intent')
    expect(req).toHaveLength(1)
    expect(JSON.parse(req[0]!.purpose_json)).toEqual({ kind: 'status_check' })
    expect(req[0]!.detail).toContain('GET /api/version')
  })

  it('an OLLAMA_HOST outside the machine is refused, audited, and reported as not reachable', async () => {
    // 127.0.0.2 plays a host outside the machine: only 127.0.0.1 counts as loopback here.
    const outside = await startFakeOllama({ host: '127.0.0.2' })
    const restore = overrideEgressNetworkForTests(scriptedNetwork())
    try {
      ctx.env.OLLAMA_HOST = outside.url
      const s = await checkOllamaStatus(ctx)
      expect(s.reachable).toBe(false)
      expect(s.error).toContain(`Refused to connect to 127.0.0.2:${outside.port}`)
      // the destination is named once ("…to X: it is neither…", not "…to X: X is neither…")
      expect(s.error!.split(`127.0.0.2:${outside.port}`)).toHaveLength(2)
      expect(s.error).toContain(': it is neither loopback nor an approved destination')
      expect(outside.connections).toBe(0)
      expect(rows().filter((r) => r.kind === 'refusal')).toHaveLength(1)
    } finally {
      restore()
      await outside.close()
    }
  })
})
