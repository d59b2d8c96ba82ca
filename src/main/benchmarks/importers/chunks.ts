import type { PackInstanceInput } from '../../../shared/benchmarks/pack'
import type { InstanceChunk, SourcePosition } from './types'

/**
 * Chunks of instances built already, for importers that parse a source whole or yield one
 * instance at a time (./types.ts, InstanceChunk).
 */

/** Instances built already, as one chunk; `positions[i]` is where the i-th came from, if known. */
export function builtChunk(
  instances: readonly PackInstanceInput[],
  positions?: readonly (SourcePosition | null)[],
): InstanceChunk {
  return {
    length: instances.length,
    instance: (i) => instances[i]!,
    position: (i) => positions?.[i] ?? null,
  }
}

/** The instances of an array as a stream of chunks (one chunk; none when it is empty). */
export async function* each(instances: readonly PackInstanceInput[]): AsyncGenerator<InstanceChunk> {
  if (instances.length) yield builtChunk(instances)
}

/** Instances per chunk when a stream of single instances is grouped (inChunks). */
export const CHUNK_INSTANCES = 256

/**
 * A stream of single instances as chunks of up to CHUNK_INSTANCES, each instance with the position
 * `position` gave right after it was read. When the stream fails, the instances read before the
 * failure come first, as a chunk of their own, so the store sees them as it would one by one.
 */
export async function* inChunks(
  source: AsyncIterable<PackInstanceInput>,
  position?: () => SourcePosition | null,
): AsyncGenerator<InstanceChunk> {
  let instances: PackInstanceInput[] = []
  let positions: (SourcePosition | null)[] = []
  const take = () => {
    const chunk = builtChunk(instances, positions)
    instances = []
    positions = []
    return chunk
  }
  try {
    for await (const instance of source) {
      instances.push(instance)
      positions.push(position?.() ?? null)
      if (instances.length === CHUNK_INSTANCES) yield take()
    }
  } catch (e) {
    if (instances.length) yield take()
    throw e
  }
  if (instances.length) yield take()
}

/** The instances of a stream of chunks one by one, built (for scripts and tests that look at them all). */
export async function* allInstances(chunks: AsyncIterable<InstanceChunk>): AsyncGenerator<PackInstanceInput> {
  for await (const chunk of chunks) for (let i = 0; i < chunk.length; i++) yield chunk.instance(i)
}
