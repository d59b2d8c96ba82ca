import type { InvokeChannel, Out, Parsed } from './contract'

/**
 * The shape of main's implementation of the contract, next to the contract it implements: a
 * handler per channel receives the parsed input and returns the channel's output. Features type
 * their handlers with `HandlersFor<their channels>`; the IPC router takes the whole `Handlers`.
 * (Types only: nothing here runs in the renderer.)
 */
export type Handler<C extends InvokeChannel> = (input: Parsed<C>) => Promise<Out<C>> | Out<C>
export type Handlers = { [C in InvokeChannel]: Handler<C> }
/** Handlers for a subset of the contract (one feature's channels). */
export type HandlersFor<K extends InvokeChannel> = { [C in K]: Handler<C> }
