import { Ollama } from 'ollama'
import { z } from 'zod'
import type { EgressPurpose, Reachability } from '../../shared/api/models'
import type { EgressGuard } from '../egress/guard'
import { ModelError, promptText, toModelError, unreachable } from './errors'
import type {
  ChatCallOptions,
  ChatRequest,
  ChatResult,
  DiscoveredModel,
  EndpointClient,
  EndpointRef,
  GenerationOptions,
} from './types'

const nsToMs = (ns: number | undefined | null) =>
  typeof ns === 'number' && Number.isFinite(ns) ? ns / 1e6 : null
const count = (n: unknown) => (typeof n === 'number' && Number.isInteger(n) && n >= 0 ? n : null)

const ChatReply = z.object({
  model: z.string(),
  message: z.object({ role: z.string().optional(), content: z.string() }),
  done: z.boolean().optional(),
  done_reason: z.string().optional(),
  total_duration: z.number().optional(),
  load_duration: z.number().optional(),
  prompt_eval_count: z.number().optional(),
  prompt_eval_duration: z.number().optional(),
  eval_count: z.number().optional(),
  eval_duration: z.number().optional(),
})
type ChatReply = z.infer<typeof ChatReply>

const Details = z
  .object({
    format: z.string().optional(),
    family: z.string().optional(),
    families: z.array(z.string()).nullable().optional(),
    parameter_size: z.string().optional(),
    quantization_level: z.string().optional(),
    parent_model: z.string().optional(),
  })
  .partial()

const TagsReply = z.object({
  models: z.array(
    z.object({
      name: z.string(),
      model: z.string().optional(),
      digest: z.string().optional(),
      size: z.number().optional(),
      details: Details.optional(),
    }),
  ),
})
const ShowReply = z.object({
  details: Details.optional(),
  model_info: z.record(z.string(), z.unknown()).optional(),
  capabilities: z.array(z.string()).optional(),
})

export function ollamaOptions(o: GenerationOptions | undefined): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  if (!o) return out
  if (o.temperature !== undefined) out.temperature = o.temperature
  if (o.seed !== undefined) out.seed = o.seed
  if (o.numCtx !== undefined) out.num_ctx = o.numCtx
  if (o.numPredict !== undefined) out.num_predict = o.numPredict
  if (o.topP !== undefined) out.top_p = o.topP
  if (o.topK !== undefined) out.top_k = o.topK
  if (o.stop !== undefined) out.stop = o.stop
  return out
}

/**
 * An Ollama server, through the official `ollama` client with the egress guard as its fetch:
 * a fresh client per call binds that call's purpose, cancellation and time limit.
 */
export class OllamaEndpointClient implements EndpointClient {
  constructor(
    readonly endpoint: EndpointRef,
    private readonly guard: EgressGuard,
    /** The digest of a model as last listed (for ChatResult.modelDigest). */
    private readonly digestOf: (model: string) => string | null = () => null,
  ) {}

  private client(purpose: EgressPurpose, signal: AbortSignal | undefined, timeoutMs: number): Ollama {
    return new Ollama({
      host: this.endpoint.baseUrl,
      fetch: this.guard.fetchFor({ purpose, endpointId: this.endpoint.id, signal, timeoutMs }),
    })
  }

  async chat(request: ChatRequest, options: ChatCallOptions): Promise<ChatResult> {
    const name = this.endpoint.name
    const stream = options.stream ?? options.onDelta !== undefined
    const ollama = this.client(options.purpose, options.signal, options.timeoutMs ?? this.endpoint.timeoutMs)
    const body = {
      model: request.model,
      messages: request.messages.map((m) => ({ role: m.role, content: m.content })),
      options: ollamaOptions(request.options),
      ...(request.json ? { format: request.jsonSchema ?? 'json' } : {}),
    }
    const started = performance.now()
    let final: ChatReply
    let text: string
    try {
      if (stream) {
        const parts = await ollama.chat({ ...body, stream: true })
        text = ''
        let last: ChatReply | null = null
        for await (const raw of parts) {
          const part = ChatReply.safeParse(raw)
          if (!part.success)
            throw new ModelError(
              'protocol',
              name,
              `unexpected stream message: ${part.error.issues[0]?.message ?? ''}`,
            )
          text += part.data.message.content
          if (part.data.message.content) options.onDelta?.(part.data.message.content)
          if (part.data.done) last = part.data
        }
        if (!last) throw new ModelError('protocol', name, 'the stream ended without its final message')
        final = last
      } else {
        const raw: unknown = await ollama.chat({ ...body, stream: false })
        const parsed = ChatReply.safeParse(raw)
        if (!parsed.success) {
          throw new ModelError(
            'protocol',
            name,
            `unexpected answer: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
          )
        }
        final = parsed.data
        text = final.message.content
      }
    } catch (e) {
      throw toModelError(e, name, request.model, promptText(request))
    }
    return {
      endpoint: name,
      model: final.model || request.model,
      modelDigest: this.digestOf(request.model),
      text,
      promptTokens: count(final.prompt_eval_count),
      completionTokens: count(final.eval_count),
      finishReason: final.done_reason ?? null,
      durations: {
        wallMs: performance.now() - started,
        totalMs: nsToMs(final.total_duration),
        loadMs: nsToMs(final.load_duration),
        promptEvalMs: nsToMs(final.prompt_eval_duration),
        evalMs: nsToMs(final.eval_duration),
      },
    }
  }

  /** /api/tags for names, digests, sizes and details; /api/show for each model's context length. */
  async listModels(options: { signal?: AbortSignal } = {}): Promise<DiscoveredModel[]> {
    const ollama = this.client(
      { kind: 'model_listing' },
      options.signal,
      Math.min(this.endpoint.timeoutMs, 60_000),
    )
    try {
      const tags = TagsReply.safeParse(await ollama.list())
      if (!tags.success)
        throw new ModelError(
          'protocol',
          this.endpoint.name,
          `unexpected /api/tags answer: ${tags.error.issues[0]?.message ?? ''}`,
        )
      const out: DiscoveredModel[] = []
      for (const m of tags.data.models) {
        const show = ShowReply.safeParse(await ollama.show({ model: m.name }))
        if (!show.success)
          throw new ModelError('protocol', this.endpoint.name, `unexpected /api/show answer for ${m.name}`)
        const details = { ...(m.details ?? {}), ...(show.data.details ?? {}) }
        const info = show.data.model_info ?? {}
        const arch =
          typeof info['general.architecture'] === 'string' ? info['general.architecture'] : details.family
        const ctxLen = arch ? info[`${arch}.context_length`] : undefined
        out.push({
          name: m.name,
          digest: m.digest ?? null,
          sizeBytes: typeof m.size === 'number' ? m.size : null,
          family: details.family ?? null,
          parameterSize: details.parameter_size ?? null,
          quantization: details.quantization_level ?? null,
          contextLength: typeof ctxLen === 'number' && Number.isInteger(ctxLen) ? ctxLen : null,
          details: {
            format: details.format ?? null,
            families: details.families ?? null,
            parentModel: details.parent_model ?? null,
            capabilities: show.data.capabilities ?? [],
            architecture: arch ?? null,
            parameterCount:
              typeof info['general.parameter_count'] === 'number' ? info['general.parameter_count'] : null,
          },
        })
      }
      return out
    } catch (e) {
      throw toModelError(e, this.endpoint.name)
    }
  }

  async status(options: { timeoutMs?: number; signal?: AbortSignal } = {}): Promise<Reachability> {
    const checkedAt = new Date().toISOString()
    try {
      const v = await this.client(
        { kind: 'status_check' },
        options.signal,
        options.timeoutMs ?? 3000,
      ).version()
      const version = typeof (v as { version?: unknown }).version === 'string' ? v.version : null
      return { reachable: true, version, error: null, errorKind: null, addressChange: null, checkedAt }
    } catch (e) {
      return unreachable(toModelError(e, this.endpoint.name), checkedAt)
    }
  }
}
