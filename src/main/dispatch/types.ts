import type { ModelError } from '../models/errors'
import type { EndpointState, Job, Lane } from './pools'

/** One job sent (or answered from the cache) on one lane of one endpoint. */
export interface Attempt<P, M, Q> {
  job: Job<P>
  lane: Lane<M>
  ep: EndpointState<M>
  request: Q
}

/** One model served by one endpoint, as a client declares it. */
export interface LaneSpec<M> {
  /** The pool (one queue per model; several endpoints serving it share it). */
  pool: string
  modelKey: string
  modelName: string
  endpoint: { id: number; name: string; concurrency: number; timeoutMs: number }
  member: M
}

/** A job as read from the producer: its durable id, attempts so far and what the client needs. */
export interface JobSpec<P> {
  id: number
  attempts: number
  payload: P
}

export interface DispatchSettings {
  /** Requests in flight per endpoint (absent: each endpoint's own setting). */
  concurrency: number | null
  /** Requests in flight per model (pool), over all its endpoints (absent: no limit of its own). */
  modelConcurrency?: number | null
  /** Time limit of one request (absent: each endpoint's own). */
  timeoutMs: number | null
  /** Tries of one item in this execution before it fails. */
  maxAttempts: number
  /** Base of the exponential backoff between tries (ms). */
  backoffMs: number
}

/**
 * What a client of the dispatcher supplies: a producer of work, the request, the cache, and the
 * commit hooks. Each `…Write` runs inside the dispatcher's commit transaction and returns the
 * number of rows of the work item it changed (1: the item was still pending).
 */
export interface DispatchClient<P, M, Q, R> {
  /** Up to `limit` more jobs of a pool, after `afterId`, in id order (streamed from the database). */
  read(pool: string, afterId: number, limit: number): JobSpec<P>[]
  /**
   * Whether a pool may get more work later (a producer filling pools as it goes). Absent: a pool
   * has more while `read` returns full pages.
   */
  more?(pool: string): boolean
  /** A failure after which nothing should go on (returns the message), or null. */
  stopsAll?(err: ModelError, lane: Lane<M>): string | null
  /** Builds the request of a job for a lane (the prompt). */
  prepare(job: Job<P>, lane: Lane<M>): Q
  /** The stored answer to the same request, or undefined to send it. */
  lookup(job: Job<P>, lane: Lane<M>, request: Q): R | undefined
  send(job: Job<P>, lane: Lane<M>, request: Q, signal: AbortSignal, timeoutMs: number): Promise<R>
  /** Whatever needs no lock (scoring the answer), then the write that commits the result. */
  resultWrite(attempt: Attempt<P, M, Q>, result: R, cached: boolean): Promise<() => number>
  /** After the result is durable: progress counts. */
  committed(job: Job<P>, lane: Lane<M>, result: R, cached: boolean): void
  /** The item will be tried again: record the attempt and the failure. */
  retryWrite(job: Job<P>, lane: Lane<M>, ep: EndpointState<M>, err: ModelError, attempts: number): number
  /** The item failed after its last try. */
  failureWrite(job: Job<P>, lane: Lane<M>, ep: EndpointState<M>, err: ModelError, attempts: number): number
  /** A failure that took the endpoint out for this model (nothing about the item changes). */
  refusalWrite(lane: Lane<M>, ep: EndpointState<M>, err: ModelError): number
  /** After the failure is durable. */
  failed(job: Job<P>, lane: Lane<M>): void
  /** The error of a request as a ModelError. */
  toModelError(e: unknown, ep: EndpointState<M>, lane: Lane<M>): ModelError
}
