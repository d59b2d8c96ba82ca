import {
  eventContract,
  isEventChannel,
  type EventChannel,
  type EventPayload,
} from '../../shared/api/contract'

export type EventListener = (channel: EventChannel, payload: unknown) => void

/**
 * Typed main → renderer events. Core code emits; the Electron binding (or the browser test bridge,
 * or the CLI's progress printer) subscribes. Payloads are validated against the contract on emit,
 * so a malformed event is a bug found in tests rather than in the renderer.
 */
export class EventBus {
  private readonly listeners = new Set<EventListener>()

  on(listener: EventListener): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  emit<E extends EventChannel>(channel: E, payload: EventPayload<E>): void {
    if (!isEventChannel(channel)) throw new Error(`Unknown event channel: ${String(channel)}`)
    const parsed = eventContract[channel].parse(payload)
    for (const l of this.listeners) l(channel, parsed)
  }
}
