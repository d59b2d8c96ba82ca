import type { EgressPurpose, EndpointKind, Reachability } from '../../shared/api/models'

/**
 * The one interface through which the rest of WardEval (the run engine, the LLM jury) talks to a
 * model, whatever serves it. Every call goes through the egress guard and is audited with `purpose`.
 */
export interface ChatClient {
  readonly endpoint: EndpointRef
  /** Sends one chat; resolves with the whole answer (streamed or not). Throws ModelError. */
  chat(request: ChatRequest, options: ChatCallOptions): Promise<ChatResult>
}

/** A ChatClient that can also list its models and say whether its server answers. */
export interface EndpointClient extends ChatClient {
  listModels(options?: { signal?: AbortSignal }): Promise<DiscoveredModel[]>
  status(options?: { timeoutMs?: number; signal?: AbortSignal }): Promise<Reachability>
}

export interface EndpointRef {
  id: number
  name: string
  kind: EndpointKind
  baseUrl: string
  /** How many requests the run engine may have in flight on this endpoint. */
  concurrency: number
  /** Per-request time limit (headers and whole body). */
  timeoutMs: number
}

export interface ChatMessage {
  role: 'system' | 'user' | 'assistant'
  content: string
}

/** Generation settings. Ollama takes all of them; OpenAI-compatible servers ignore numCtx. */
export interface GenerationOptions {
  temperature?: number
  seed?: number
  /** Context window (Ollama num_ctx). */
  numCtx?: number
  /** Maximum tokens to generate (Ollama num_predict; OpenAI max_tokens). */
  numPredict?: number
  topP?: number
  topK?: number
  stop?: string[]
}

export interface ChatRequest {
  model: string
  messages: ChatMessage[]
  options?: GenerationOptions
  /** Ask for a JSON answer (Ollama format: 'json'; OpenAI response_format json_object). */
  json?: boolean
  /**
   * With `json`: the JSON schema the answer must follow. Ollama receives it as `format` (structured
   * outputs); OpenAI-compatible servers get json_object, the schema being checked by the caller.
   */
  jsonSchema?: Record<string, unknown>
}

export interface ChatCallOptions {
  /** Why this request is sent: recorded in the audit log (run + benchmark + instance, judge, …). */
  purpose: EgressPurpose
  /** Cancels the request (the audit row records it as aborted). */
  signal?: AbortSignal
  /** Stream the answer; implied by onDelta. */
  stream?: boolean
  /** Called with each piece of text as it arrives (streaming). */
  onDelta?: (text: string) => void
  /** Overrides the endpoint's time limit for this call. */
  timeoutMs?: number
}

export interface ChatDurations {
  /** Measured by WardEval: from sending to the last byte. */
  wallMs: number
  /** Reported by the server (Ollama), else null. */
  totalMs: number | null
  loadMs: number | null
  promptEvalMs: number | null
  evalMs: number | null
}

export interface ChatResult {
  endpoint: string
  /** The model name the server says answered. */
  model: string
  /** The model's content digest when the server reports one (Ollama, from its model list); else null. */
  modelDigest: string | null
  text: string
  promptTokens: number | null
  completionTokens: number | null
  /** 'stop', 'length', … as the server reports it. */
  finishReason: string | null
  durations: ChatDurations
}

/** A model as an endpoint lists it. */
export interface DiscoveredModel {
  name: string
  digest: string | null
  sizeBytes: number | null
  family: string | null
  parameterSize: string | null
  quantization: string | null
  contextLength: number | null
  details: Record<string, unknown>
}
