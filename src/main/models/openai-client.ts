import { z } from 'zod'
import type { EgressPurpose, Reachability } from '../../shared/api/models'
import type { EgressGuard } from '../egress/guard'
import { jsonSyntaxMessage } from '../json/syntax-error'
import { ModelError, promptText, serverErrorText, toModelError, unreachable } from './errors'
import type {
  ChatCallOptions,
  ChatRequest,
  ChatResult,
  DiscoveredModel,
  EndpointClient,
  EndpointRef,
} from './types'

/** The `/v1` base of an OpenAI-compatible server, whether the user wrote it with or without /v1. */
export function openAiApiBase(baseUrl: string): string {
  const b = baseUrl.replace(/\/+$/, '')
  return /\/v1$/.test(b) ? b : `${b}/v1`
}

/**
 * The environment variable holding an endpoint's API key, if its server wants one:
 * WARDEVAL_API_KEY_<NAME> (name upper-cased, other characters as _). Keys never go into the database.
 */
export function apiKeyVariable(endpointName: string): string {
  return `WARDEVAL_API_KEY_${endpointName.toUpperCase().replace(/[^A-Z0-9]/g, '_')}`
}

const Usage = z
  .object({ prompt_tokens: z.number().optional(), completion_tokens: z.number().optional() })
  .nullable()
  .optional()
const Completion = z.object({
  model: z.string().optional(),
  choices: z
    .array(
      z.object({
        message: z.object({ content: z.string().nullable() }),
        finish_reason: z.string().nullable().optional(),
      }),
    )
    .min(1),
  usage: Usage,
})
const Chunk = z.object({
  model: z.string().optional(),
  choices: z.array(
    z.object({
      delta: z.object({ content: z.string().nullable().optional() }).partial(),
      finish_reason: z.string().nullable().optional(),
    }),
  ),
  usage: Usage,
})
const ModelsReply = z.object({
  data: z.array(
    z
      .object({ id: z.string(), owned_by: z.string().optional(), max_model_len: z.number().optional() })
      .passthrough(),
  ),
})

const count = (n: unknown) => (typeof n === 'number' && Number.isInteger(n) && n >= 0 ? n : null)

/** vLLM, TGI, llama.cpp server, LM Studio… : /v1/models and /v1/chat/completions (plain and SSE). */
export class OpenAiEndpointClient implements EndpointClient {
  private readonly api: string

  constructor(
    readonly endpoint: EndpointRef,
    private readonly guard: EgressGuard,
    private readonly env: NodeJS.ProcessEnv = {},
  ) {
    this.api = openAiApiBase(endpoint.baseUrl)
  }

  private headers(json: boolean): Record<string, string> {
    const h: Record<string, string> = { accept: json ? 'application/json' : 'text/event-stream' }
    h['content-type'] = 'application/json'
    const key = this.env[apiKeyVariable(this.endpoint.name)]
    if (key) h.authorization = `Bearer ${key}`
    return h
  }

  private async send(
    path: string,
    purpose: EgressPurpose,
    init: { body?: unknown; signal?: AbortSignal; timeoutMs: number; stream?: boolean; prompt?: string },
  ): Promise<Response> {
    const res = await this.guard.request({
      url: `${this.api}${path}`,
      method: init.body === undefined ? 'GET' : 'POST',
      headers: this.headers(!init.stream),
      body: init.body === undefined ? null : JSON.stringify(init.body),
      purpose,
      endpointId: this.endpoint.id,
      signal: init.signal,
      timeoutMs: init.timeoutMs,
    })
    if (!res.ok) {
      const body = await res.text().catch(() => '')
      let message = body
      try {
        const j = JSON.parse(body) as { error?: { message?: string } | string; message?: string }
        message = (typeof j.error === 'string' ? j.error : j.error?.message) ?? j.message ?? body
      } catch {
        // not JSON: keep the text
      }
      message = serverErrorText(message, init.prompt ?? '')
      const notFound =
        res.status === 404 && /model/i.test(message) && /not (found|exist)|does not exist/i.test(message)
      throw new ModelError(
        notFound ? 'model_not_found' : 'http',
        this.endpoint.name,
        `HTTP ${res.status}: ${message || res.statusText}`,
        {
          status: res.status,
        },
      )
    }
    return res
  }

  async chat(request: ChatRequest, options: ChatCallOptions): Promise<ChatResult> {
    const name = this.endpoint.name
    const stream = options.stream ?? options.onDelta !== undefined
    const o = request.options ?? {}
    const body: Record<string, unknown> = {
      model: request.model,
      messages: request.messages.map((m) => ({ role: m.role, content: m.content })),
      stream,
      ...(o.temperature !== undefined ? { temperature: o.temperature } : {}),
      ...(o.seed !== undefined ? { seed: o.seed } : {}),
      ...(o.numPredict !== undefined ? { max_tokens: o.numPredict } : {}),
      ...(o.topP !== undefined ? { top_p: o.topP } : {}),
      ...(o.topK !== undefined ? { top_k: o.topK } : {}),
      ...(o.stop !== undefined ? { stop: o.stop } : {}),
      ...(request.json ? { response_format: { type: 'json_object' } } : {}),
      ...(stream ? { stream_options: { include_usage: true } } : {}),
    }
    const started = performance.now()
    try {
      const res = await this.send('/chat/completions', options.purpose, {
        body,
        prompt: promptText(request),
        signal: options.signal,
        timeoutMs: options.timeoutMs ?? this.endpoint.timeoutMs,
        stream,
      })
      let text = ''
      let model = request.model
      let finishReason: string | null = null
      let promptTokens: number | null = null
      let completionTokens: number | null = null
      if (stream) {
        let sawDone = false
        for await (const data of sseData(res)) {
          if (data === '[DONE]') {
            sawDone = true
            break
          }
          let json: unknown
          try {
            json = JSON.parse(data)
          } catch {
            throw new ModelError(
              'protocol',
              name,
              `malformed JSON in the event stream: ${jsonSyntaxMessage(data)}`,
            )
          }
          const chunk = Chunk.safeParse(json)
          if (!chunk.success)
            throw new ModelError(
              'protocol',
              name,
              `unexpected stream chunk: ${chunk.error.issues[0]?.message ?? ''}`,
            )
          if (chunk.data.model) model = chunk.data.model
          for (const c of chunk.data.choices) {
            const delta = c.delta.content ?? ''
            if (delta) {
              text += delta
              options.onDelta?.(delta)
            }
            if (c.finish_reason) finishReason = c.finish_reason
          }
          if (chunk.data.usage) {
            promptTokens = count(chunk.data.usage.prompt_tokens)
            completionTokens = count(chunk.data.usage.completion_tokens)
          }
        }
        if (!sawDone && finishReason === null)
          throw new ModelError('protocol', name, 'the event stream ended before the answer was complete')
      } else {
        let json: unknown
        try {
          json = await res.json()
        } catch (e) {
          if (e instanceof SyntaxError) throw new ModelError('protocol', name, 'malformed JSON in the answer')
          throw e
        }
        const parsed = Completion.safeParse(json)
        if (!parsed.success) {
          throw new ModelError(
            'protocol',
            name,
            `unexpected answer: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
          )
        }
        const choice = parsed.data.choices[0]!
        text = choice.message.content ?? ''
        finishReason = choice.finish_reason ?? null
        model = parsed.data.model ?? model
        promptTokens = count(parsed.data.usage?.prompt_tokens)
        completionTokens = count(parsed.data.usage?.completion_tokens)
      }
      return {
        endpoint: name,
        model,
        modelDigest: null,
        text,
        promptTokens,
        completionTokens,
        finishReason,
        durations: {
          wallMs: performance.now() - started,
          totalMs: null,
          loadMs: null,
          promptEvalMs: null,
          evalMs: null,
        },
      }
    } catch (e) {
      throw toModelError(e, name, request.model, promptText(request))
    }
  }

  async listModels(options: { signal?: AbortSignal } = {}): Promise<DiscoveredModel[]> {
    try {
      const res = await this.send(
        '/models',
        { kind: 'model_listing' },
        { signal: options.signal, timeoutMs: Math.min(this.endpoint.timeoutMs, 60_000) },
      )
      let json: unknown
      try {
        json = await res.json()
      } catch (e) {
        if (e instanceof SyntaxError)
          throw new ModelError('protocol', this.endpoint.name, `malformed JSON from /v1/models: ${e.message}`)
        throw e
      }
      const parsed = ModelsReply.safeParse(json)
      if (!parsed.success)
        throw new ModelError(
          'protocol',
          this.endpoint.name,
          `unexpected /v1/models answer: ${parsed.error.issues[0]?.message ?? ''}`,
        )
      return parsed.data.data.map((m) => ({
        name: m.id,
        digest: null,
        sizeBytes: null,
        family: null,
        parameterSize: null,
        quantization: null,
        contextLength: typeof m.max_model_len === 'number' ? m.max_model_len : null,
        details: { ownedBy: m.owned_by ?? null },
      }))
    } catch (e) {
      throw toModelError(e, this.endpoint.name)
    }
  }

  async status(options: { timeoutMs?: number; signal?: AbortSignal } = {}): Promise<Reachability> {
    const checkedAt = new Date().toISOString()
    try {
      const res = await this.send(
        '/models',
        { kind: 'status_check' },
        { signal: options.signal, timeoutMs: options.timeoutMs ?? 3000 },
      )
      await res.arrayBuffer()
      return { reachable: true, version: null, error: null, errorKind: null, addressChange: null, checkedAt }
    } catch (e) {
      return unreachable(toModelError(e, this.endpoint.name), checkedAt)
    }
  }
}

/** The `data:` payloads of a server-sent-event stream, one per event. */
export async function* sseData(res: Response): AsyncGenerator<string> {
  if (!res.body) return
  const reader = res.body.getReader()
  const decoder = new TextDecoder()
  let buffer = ''
  let data: string[] = []
  try {
    for (;;) {
      const { done, value } = await reader.read()
      buffer += done ? decoder.decode() : decoder.decode(value, { stream: true })
      let nl: number
      while ((nl = buffer.indexOf('\n')) >= 0) {
        const line = buffer.slice(0, nl).replace(/\r$/, '')
        buffer = buffer.slice(nl + 1)
        if (line === '') {
          if (data.length) yield data.join('\n')
          data = []
        } else if (line.startsWith('data:')) data.push(line.slice(5).replace(/^ /, ''))
      }
      if (done) {
        if (buffer.startsWith('data:')) data.push(buffer.slice(5).replace(/^ /, ''))
        if (data.length) yield data.join('\n')
        return
      }
    }
  } finally {
    reader.releaseLock()
    await res.body.cancel().catch(() => undefined)
  }
}
