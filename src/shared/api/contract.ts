import type { z } from 'zod'
import { appContract, appEvents } from './app'
import { auditContract } from './audit'
import { auditRequestsContract } from './audit-requests'
import { benchmarksContract, benchmarksEvents } from './benchmarks'
import { modelsContract, modelsEvents } from './models'
import { runsContract, runsEvents } from './runs'
import { scoringContract, scoringEvents } from './scoring'
import { reviewContract, reviewEvents } from './review'
import { reviewPacketContract } from './review-packets'
import { calibrationContract } from './calibration'
import { juryContract } from './jury'
import { leaderboardContract, leaderboardEvents } from './leaderboard'
import { exportContract } from './export'
import { reportContract } from './report'

/**
 * The one renderer ↔ main contract. Each invoke channel is `domain:action` with a zod schema for
 * its input and its output; each event channel (main → renderer) has a zod schema for its payload.
 * Main validates every input; the preload exposes exactly these channel names and nothing else.
 */
export const invokeContract = {
  ...appContract,
  ...benchmarksContract,
  ...modelsContract,
  ...runsContract,
  ...scoringContract,
  ...reviewContract,
  ...reviewPacketContract,
  ...calibrationContract,
  ...juryContract,
  ...leaderboardContract,
  ...auditContract,
  ...exportContract,
  ...reportContract,
  ...auditRequestsContract,
} as const

export const eventContract = {
  ...appEvents,
  ...benchmarksEvents,
  ...modelsEvents,
  ...runsEvents,
  ...scoringEvents,
  ...reviewEvents,
  ...leaderboardEvents,
} as const

export type InvokeContract = typeof invokeContract
export type EventContract = typeof eventContract
export type InvokeChannel = keyof InvokeContract
export type EventChannel = keyof EventContract

/** What the renderer passes in (before defaults and transforms). */
export type In<C extends InvokeChannel> = z.input<InvokeContract[C]['input']>
/** What a handler receives (after parsing). */
export type Parsed<C extends InvokeChannel> = z.output<InvokeContract[C]['input']>
export type Out<C extends InvokeChannel> = z.output<InvokeContract[C]['output']>
export type EventPayload<E extends EventChannel> = z.output<EventContract[E]>

export const INVOKE_CHANNELS = Object.keys(invokeContract) as InvokeChannel[]
export const EVENT_CHANNELS = Object.keys(eventContract) as EventChannel[]

export function isInvokeChannel(name: unknown): name is InvokeChannel {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(invokeContract, name)
}
export function isEventChannel(name: unknown): name is EventChannel {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(eventContract, name)
}

/** The shape of `window.api` the preload exposes (and the browser test bridge imitates). */
export interface WindowApi {
  invoke(channel: string, input?: unknown): Promise<unknown>
  on(channel: string, listener: (payload: unknown) => void): () => void
}
