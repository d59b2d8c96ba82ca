import type { BigIntStats } from 'node:fs'
import { stat } from 'node:fs/promises'
import { basename } from 'node:path'
import { AppError } from '../../errors'

/**
 * Noticing a file that changes while it is imported (truncated, appended to, rewritten or
 * replaced): its size, modification time and identity (device and inode) at the start are
 * compared with those at the end, and a streaming reader compares the bytes it actually read with
 * the size it started with. A change fails the import, which then writes nothing.
 */

export interface FileState {
  size: bigint
  mtimeNs: bigint
  dev: bigint
  ino: bigint
}

export function fileState(st: BigIntStats): FileState {
  return { size: st.size, mtimeNs: st.mtimeNs, dev: st.dev, ino: st.ino }
}

/** How `after` differs from `before`, in words ("was truncated"), or null when it does not. */
export function changeOf(before: FileState, after: FileState | null): string | null {
  if (after === null) return 'was removed'
  if (after.dev !== before.dev || after.ino !== before.ino) return 'was replaced by another file'
  if (after.size < before.size) return `was truncated (from ${before.size} to ${after.size} bytes)`
  if (after.size > before.size) return `grew (from ${before.size} to ${after.size} bytes)`
  if (after.mtimeNs !== before.mtimeNs) return 'was modified'
  return null
}

/** The error for a file that changed while it was imported; names the file, never its content. */
export function fileChanged(path: string, change: string): AppError {
  return new AppError(
    'bad_data',
    `${basename(path)} ${change} while it was being imported; nothing was imported. Import it again once the file is complete and no longer being written.`,
    { issues: [{ path: [basename(path)], message: 'the file changed during the import' }] },
  )
}

interface Watched {
  state: FileState
  folder: boolean
}

async function watchedAt(path: string): Promise<Watched | null> {
  try {
    const st = await stat(path, { bigint: true })
    return { state: fileState(st), folder: st.isDirectory() }
  } catch {
    return null // missing or unreadable: the importer says so, naming the file
  }
}

/**
 * The state of the imported path and a check that throws `fileChanged` when it differs at the end.
 * A folder only has to stay the same folder: the files read from it are streamed, and the
 * streaming reader checks each of them (../importers/text.ts); other files may come and go beside
 * the data. A single file covers the importers that read a file whole (zip, xlsx, docx).
 */
export async function watchSource(path: string): Promise<() => Promise<void>> {
  const before = await watchedAt(path)
  return async () => {
    if (before === null) return
    const after = await watchedAt(path)
    const change =
      before.folder && after?.folder
        ? after.state.dev !== before.state.dev || after.state.ino !== before.state.ino
          ? 'was replaced by another folder'
          : null
        : changeOf(before.state, after?.state ?? null)
    if (change) throw fileChanged(path, change)
  }
}
