/**
 * A fake model server for tests: Ollama's native API and the OpenAI-compatible API on one
 * 127.0.0.1 port, with scripted answers, a record of every request and connection, and faults
 * you can inject. Loopback only; never reaches the network.
 *
 *   const fake = await startFakeOllama({
 *     models: [{ name: 'llama3.2:3b' }],
 *     answer: (req) => (req.lastUser.includes('capital') ? 'Paris' : 'I do not know'),
 *   })
 *   ctx.env.OLLAMA_HOST = fake.url            // or: endpoints add lab <fake.url> --kind openai
 *   fake.inject({ path: '/api/chat', fault: { type: 'status', status: 503 }, times: 1 })
 *   …
 *   expect(fake.requests.filter((r) => r.path === '/api/chat')).toHaveLength(2)
 *   await fake.close()
 *
 * Endpoints (real shapes, as Ollama 0.12 and OpenAI servers send them):
 *   GET  /api/version          {"version": "0.12.6"}
 *   GET  /api/tags             {"models": [{name, model, modified_at, size, digest, details{…}}]}
 *   POST /api/show             {details, model_info{"general.architecture", "<arch>.context_length", …}, capabilities, …}
 *   POST /api/chat             one JSON object, or NDJSON chunks ending with done:true and the counters (stream defaults to true, as in Ollama)
 *   GET  /v1/models            {"object":"list","data":[{id, object:"model", created, owned_by}]}
 *   POST /v1/chat/completions  chat.completion, or SSE chat.completion.chunk events, a usage chunk when stream_options.include_usage, then [DONE]
 * An unknown model gets Ollama's 404 {"error":"model \"x\" not found, try pulling it first"} (OpenAI shape on /v1).
 */
import { createHash } from 'node:crypto'
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo, Socket } from 'node:net'

export interface FakeModel {
  /** Ollama name, e.g. 'llama3.2:3b'. */
  name: string
  /** Defaults to a sha256 of the name (64 hex digits), as Ollama reports digests. */
  digest?: string
  size?: number
  family?: string
  parameterSize?: string
  quantization?: string
  contextLength?: number
}

export interface FakeChatRequest {
  api: 'ollama' | 'openai'
  model: string
  messages: { role: string; content: string }[]
  /** The content of the last user message (what most scripts look at). */
  lastUser: string
  stream: boolean
  /** Ollama `options` (temperature, seed, num_ctx, num_predict…), or the OpenAI sampling fields. */
  options: Record<string, unknown>
  /** The whole parsed request body. */
  body: Record<string, unknown>
}

/** A scripted answer: the text, or the text with counters, finish reason and pacing. */
export type FakeAnswer =
  | string
  | {
      text: string
      promptTokens?: number
      completionTokens?: number
      doneReason?: string
      /** Wait this long before answering (before the first chunk when streaming). */
      delayMs?: number
      /** Split the streamed answer into these pieces (default: words). */
      chunks?: string[]
    }

export type AnswerScript = (req: FakeChatRequest) => FakeAnswer | Promise<FakeAnswer>

export type Fault =
  /** Answer with this status and body (default: Ollama's JSON error shape). */
  | { type: 'status'; status: number; body?: string; contentType?: string }
  /** Wait before handling the request normally (a slow server). */
  | { type: 'delay'; ms: number }
  /** Destroy the connection without answering. */
  | { type: 'drop' }
  /** Send the headers and part of the body, then destroy the connection. */
  | { type: 'drop-mid-body' }
  /** Answer 200 with a body that is not valid JSON (or a stream with a broken line/event). */
  | { type: 'malformed-json' }
  /** Never answer (until the client gives up or the server closes). */
  | { type: 'hang' }

export interface FaultRule {
  /** Which requests: a path ('/api/chat'), a RegExp on the path, or a predicate. Default: all. */
  match?: string | RegExp | ((r: RecordedRequest) => boolean)
  fault: Fault
  /** How many matching requests get the fault (default: every one until cleared). */
  times?: number
}

export interface RecordedRequest {
  method: string
  path: string
  headers: Record<string, string | string[] | undefined>
  /** Parsed JSON body, or the raw text if it was not JSON, or null when empty. */
  body: unknown
  rawBody: string
  at: string
  /** The local address the request came in on (the server's). */
  localAddress: string
  remoteAddress: string
}

export interface FakeOllamaOptions {
  /** Interface to listen on; must be loopback. Default 127.0.0.1. */
  host?: string
  /** Default 0 (any free port). */
  port?: number
  models?: FakeModel[]
  answer?: AnswerScript
  /** What /api/version reports. */
  version?: string
}

export interface FakeOllama {
  /** http://host:port */
  readonly url: string
  readonly host: string
  readonly port: number
  /** Every request received, in order. */
  readonly requests: RecordedRequest[]
  /** TCP connections accepted so far (a refused destination must leave this at 0). */
  readonly connections: number
  setModels(models: FakeModel[]): void
  /** Replaces the answer script. */
  answer(script: AnswerScript): void
  /** Adds a fault rule; returns a function removing it. */
  inject(rule: FaultRule): () => void
  clearFaults(): void
  /** Forgets recorded requests and the connection count. */
  reset(): void
  close(): Promise<void>
}

export const DEFAULT_FAKE_MODELS: FakeModel[] = [
  {
    name: 'llama3.2:3b',
    family: 'llama',
    parameterSize: '3.2B',
    quantization: 'Q4_K_M',
    size: 2019393189,
    contextLength: 131072,
  },
  {
    name: 'qwen2.5:7b',
    family: 'qwen2',
    parameterSize: '7.6B',
    quantization: 'Q4_K_M',
    size: 4683087332,
    contextLength: 32768,
  },
]

export function fakeDigest(name: string): string {
  return createHash('sha256').update(`fake-model:${name}`).digest('hex')
}

const defaultScript: AnswerScript = (req) => `Echo: ${req.lastUser}`

/** Roughly what a tokenizer would say: one token per word or punctuation mark. */
function tokenCount(text: string): number {
  return (text.match(/\w+|[^\s\w]/g) ?? []).length
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

export async function startFakeOllama(options: FakeOllamaOptions = {}): Promise<FakeOllama> {
  const host = options.host ?? '127.0.0.1'
  let models = [...(options.models ?? DEFAULT_FAKE_MODELS)]
  let script = options.answer ?? defaultScript
  let rules: (FaultRule & { used: number })[] = []
  const requests: RecordedRequest[] = []
  let connections = 0
  const sockets = new Set<Socket>()

  const json = (res: ServerResponse, status: number, value: unknown) => {
    const body = JSON.stringify(value)
    res.writeHead(status, {
      'content-type': 'application/json; charset=utf-8',
      'content-length': Buffer.byteLength(body),
    })
    res.end(body)
  }

  const findModel = (name: unknown) => {
    if (typeof name !== 'string') return undefined
    return models.find((m) => m.name === name || m.name === `${name}:latest`)
  }

  const tagsEntry = (m: FakeModel) => ({
    name: m.name,
    model: m.name,
    modified_at: '2026-01-05T10:00:00.000000000Z',
    size: m.size ?? 1_000_000_000,
    digest: m.digest ?? fakeDigest(m.name),
    details: {
      parent_model: '',
      format: 'gguf',
      family: m.family ?? 'llama',
      families: [m.family ?? 'llama'],
      parameter_size: m.parameterSize ?? '1B',
      quantization_level: m.quantization ?? 'Q4_K_M',
    },
  })

  function chatRequestOf(api: 'ollama' | 'openai', body: Record<string, unknown>): FakeChatRequest {
    const messages = Array.isArray(body.messages)
      ? (body.messages as { role?: unknown; content?: unknown }[]).map((m) => ({
          role: String(m.role),
          content: String(m.content ?? ''),
        }))
      : []
    const lastUser = [...messages].reverse().find((m) => m.role === 'user')?.content ?? ''
    const options =
      api === 'ollama'
        ? ((body.options as Record<string, unknown> | undefined) ?? {})
        : Object.fromEntries(
            Object.entries(body).filter(([k]) =>
              ['temperature', 'seed', 'max_tokens', 'top_p', 'top_k', 'stop'].includes(k),
            ),
          )
    const stream = api === 'ollama' ? body.stream !== false : body.stream === true
    return { api, model: String(body.model ?? ''), messages, lastUser, stream, options, body }
  }

  async function answerOf(req: FakeChatRequest) {
    const a = await script(req)
    const o: Exclude<FakeAnswer, string> = typeof a === 'string' ? { text: a } : a
    const text = o.text
    const promptTokens = o.promptTokens ?? tokenCount(req.messages.map((m) => m.content).join(' '))
    const completionTokens = o.completionTokens ?? tokenCount(text)
    const chunks = o.chunks ?? text.match(/\S+\s*|\s+/g) ?? ['']
    return {
      text,
      promptTokens,
      completionTokens,
      doneReason: o.doneReason ?? 'stop',
      delayMs: o.delayMs ?? 0,
      chunks,
    }
  }

  async function ollamaChat(res: ServerResponse, body: Record<string, unknown>, malformed: boolean) {
    const req = chatRequestOf('ollama', body)
    const a = await answerOf(req)
    if (a.delayMs) await sleep(a.delayMs)
    const created = new Date().toISOString()
    const counters = {
      total_duration: 1_250_000_000,
      load_duration: 50_000_000,
      prompt_eval_count: a.promptTokens,
      prompt_eval_duration: 200_000_000,
      eval_count: a.completionTokens,
      eval_duration: 1_000_000_000,
    }
    if (!req.stream) {
      if (malformed) return sendMalformed(res)
      return json(res, 200, {
        model: req.model,
        created_at: created,
        message: { role: 'assistant', content: a.text },
        done_reason: a.doneReason,
        done: true,
        ...counters,
      })
    }
    res.writeHead(200, { 'content-type': 'application/x-ndjson' })
    for (const [i, piece] of a.chunks.entries()) {
      if (malformed && i === 1) res.write('{"model": "broken\n')
      res.write(
        JSON.stringify({
          model: req.model,
          created_at: created,
          message: { role: 'assistant', content: piece },
          done: false,
        }) + '\n',
      )
    }
    if (malformed) return res.end('{not json}\n')
    res.end(
      JSON.stringify({
        model: req.model,
        created_at: created,
        message: { role: 'assistant', content: '' },
        done_reason: a.doneReason,
        done: true,
        ...counters,
      }) + '\n',
    )
  }

  async function openAiChat(res: ServerResponse, body: Record<string, unknown>, malformed: boolean) {
    const req = chatRequestOf('openai', body)
    const a = await answerOf(req)
    if (a.delayMs) await sleep(a.delayMs)
    const id = `chatcmpl-${requests.length}`
    const created = Math.floor(Date.now() / 1000)
    const usage = {
      prompt_tokens: a.promptTokens,
      completion_tokens: a.completionTokens,
      total_tokens: a.promptTokens + a.completionTokens,
    }
    if (!req.stream) {
      if (malformed) return sendMalformed(res)
      return json(res, 200, {
        id,
        object: 'chat.completion',
        created,
        model: req.model,
        system_fingerprint: 'fp_fake',
        choices: [{ index: 0, message: { role: 'assistant', content: a.text }, finish_reason: a.doneReason }],
        usage,
      })
    }
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' })
    const event = (v: unknown) => res.write(`data: ${JSON.stringify(v)}\n\n`)
    const chunk = (delta: Record<string, unknown>, finish: string | null) =>
      event({
        id,
        object: 'chat.completion.chunk',
        created,
        model: req.model,
        system_fingerprint: 'fp_fake',
        choices: [{ index: 0, delta, finish_reason: finish }],
      })
    chunk({ role: 'assistant', content: '' }, null)
    for (const [i, piece] of a.chunks.entries()) {
      if (malformed && i === 1) {
        res.write('data: {"id": broken\n\n')
        return res.end()
      }
      chunk({ content: piece }, null)
    }
    chunk({}, a.doneReason)
    const so = body.stream_options as { include_usage?: unknown } | undefined
    if (so?.include_usage)
      event({ id, object: 'chat.completion.chunk', created, model: req.model, choices: [], usage })
    res.end('data: [DONE]\n\n')
  }

  function sendMalformed(res: ServerResponse) {
    res.writeHead(200, { 'content-type': 'application/json' })
    res.end('{"model": "x", "message": {"content": "unterminated')
  }

  async function route(req: IncomingMessage, res: ServerResponse, rec: RecordedRequest, malformed: boolean) {
    const body = (rec.body && typeof rec.body === 'object' ? rec.body : {}) as Record<string, unknown>
    const isV1 = rec.path.startsWith('/v1/')
    if (req.method === 'GET' && rec.path === '/api/version') {
      if (malformed) return sendMalformed(res)
      return json(res, 200, { version: options.version ?? '0.12.6' })
    }
    if (req.method === 'GET' && rec.path === '/api/tags') {
      if (malformed) return sendMalformed(res)
      return json(res, 200, { models: models.map(tagsEntry) })
    }
    if (req.method === 'POST' && rec.path === '/api/show') {
      const m = findModel(body.model ?? body.name)
      if (!m) return json(res, 404, { error: `model '${String(body.model ?? body.name)}' not found` })
      if (malformed) return sendMalformed(res)
      const t = tagsEntry(m)
      const arch = m.family ?? 'llama'
      return json(res, 200, {
        license: 'fake license',
        modelfile: `FROM ${m.name}`,
        parameters: 'stop "<|eot_id|>"',
        template: '{{ .Prompt }}',
        details: t.details,
        model_info: {
          'general.architecture': arch,
          'general.parameter_count': 3212749888,
          [`${arch}.context_length`]: m.contextLength ?? 8192,
          [`${arch}.embedding_length`]: 3072,
        },
        capabilities: ['completion'],
        modified_at: t.modified_at,
      })
    }
    if (req.method === 'POST' && (rec.path === '/api/chat' || rec.path === '/v1/chat/completions')) {
      if (!findModel(body.model)) {
        const msg = `model "${String(body.model)}" not found, try pulling it first`
        return isV1
          ? json(res, 404, { error: { message: msg, type: 'api_error', param: null, code: null } })
          : json(res, 404, { error: msg })
      }
      return isV1 ? openAiChat(res, body, malformed) : ollamaChat(res, body, malformed)
    }
    if (req.method === 'GET' && rec.path === '/v1/models') {
      if (malformed) return sendMalformed(res)
      return json(res, 200, {
        object: 'list',
        data: models.map((m) => ({ id: m.name, object: 'model', created: 1736071200, owned_by: 'library' })),
      })
    }
    return isV1
      ? json(res, 404, {
          error: { message: `no route ${req.method} ${rec.path}`, type: 'invalid_request_error' },
        })
      : json(res, 404, { error: `404 page not found` })
  }

  function takeFault(rec: RecordedRequest): Fault | null {
    for (const r of rules) {
      if (r.times !== undefined && r.used >= r.times) continue
      const m = r.match
      const hit =
        m === undefined
          ? true
          : typeof m === 'string'
            ? rec.path === m
            : m instanceof RegExp
              ? m.test(rec.path)
              : m(rec)
      if (!hit) continue
      r.used++
      return r.fault
    }
    return null
  }

  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      const rawBody = Buffer.concat(chunks).toString('utf8')
      let body: unknown = null
      if (rawBody) {
        try {
          body = JSON.parse(rawBody)
        } catch {
          body = rawBody
        }
      }
      const rec: RecordedRequest = {
        method: req.method ?? 'GET',
        path: new URL(req.url ?? '/', 'http://fake').pathname,
        headers: req.headers,
        body,
        rawBody,
        at: new Date().toISOString(),
        localAddress: req.socket.localAddress ?? '',
        remoteAddress: req.socket.remoteAddress ?? '',
      }
      requests.push(rec)
      void handle(req, res, rec).catch((e: unknown) => {
        if (!res.headersSent) json(res, 500, { error: `fake server bug: ${(e as Error).message}` })
        else res.destroy()
      })
    })
  })

  async function handle(req: IncomingMessage, res: ServerResponse, rec: RecordedRequest) {
    const fault = takeFault(rec)
    let malformed = false
    if (fault) {
      switch (fault.type) {
        case 'status':
          res.writeHead(fault.status, { 'content-type': fault.contentType ?? 'application/json' })
          res.end(fault.body ?? JSON.stringify({ error: `injected failure (HTTP ${fault.status})` }))
          return
        case 'delay':
          await sleep(fault.ms)
          break
        case 'drop':
          req.socket.destroy()
          return
        case 'drop-mid-body':
          res.writeHead(200, { 'content-type': 'application/json', 'content-length': '1000' })
          res.write('{"model": "partial", "message": {"role": "assistant", "content": "The answer is')
          setTimeout(() => req.socket.destroy(), 20)
          return
        case 'malformed-json':
          malformed = true
          break
        case 'hang':
          return
      }
    }
    if (res.destroyed) return
    await route(req, res, rec, malformed)
  }

  server.on('connection', (s: Socket) => {
    connections++
    sockets.add(s)
    s.on('close', () => sockets.delete(s))
  })

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(options.port ?? 0, host, () => resolve())
  })
  const port = (server.address() as AddressInfo).port
  const urlHost = host.includes(':') ? `[${host}]` : host

  return {
    url: `http://${urlHost}:${port}`,
    host,
    port,
    requests,
    get connections() {
      return connections
    },
    setModels(m) {
      models = [...m]
    },
    answer(s) {
      script = s
    },
    inject(rule) {
      const r = { ...rule, used: 0 }
      rules.push(r)
      return () => {
        rules = rules.filter((x) => x !== r)
      }
    },
    clearFaults() {
      rules = []
    },
    reset() {
      requests.length = 0
      connections = 0
    },
    close() {
      for (const s of sockets) s.destroy()
      return new Promise<void>((resolve, reject) => server.close((e) => (e ? reject(e) : resolve())))
    },
  }
}
