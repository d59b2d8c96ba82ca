import type { EventChannel, EventContract, EventPayload } from '../../shared/api/contract'

export type EventListener = (channel: EventChannel, payload: unknown) => void

/**
 * The event contract (src/shared/api/contract.ts, zod), loaded when the first event is emitted:
 * a process that emits none (a CLI command that only reads) never loads zod's schemas for it.
 */
export type LoadEventContract = () => EventContract

/**
 * Typed main → renderer events. Core code emits; the Electron binding (or the browser test bridge,
 * or the CLI's progress printer) subscribes. Payloads are validated against the contract on emit,
 * so a malformed event is a bug found in tests rather than in the renderer.
 */
export class EventBus {
  private readonly listeners = new Set<EventListener>()
  private contract: EventContract | undefined

  constructor(private readonly loadContract: LoadEventContract) {}

  on(listener: EventListener): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  emit<E extends EventChannel>(channel: E, payload: EventPayload<E>): void {
    const contract = (this.contract ??= this.loadContract())
    if (typeof channel !== 'string' || !Object.prototype.hasOwnProperty.call(contract, channel))
      throw new Error(`Unknown event channel: ${String(channel)}`)
    const parsed = contract[channel].parse(payload)
    for (const l of this.listeners) l(channel, parsed)
  }
}
