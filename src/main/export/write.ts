import { createHash } from 'node:crypto'
import { once } from 'node:events'
import { createWriteStream, existsSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs'
import { dirname, resolve } from 'node:path'
import { AppError } from '../errors'
import { partialPath } from '../files/partial-path'

/**
 * Writing export files: never over an existing file unless asked (`force`), never half-written
 * (lines go to a `<file>.…partial` file, renamed when complete, removed on failure), owner-only
 * (an export may hold patient text), and streamed with backpressure so memory stays flat.
 */

/** Refuses a target that exists (unless `force`), is a folder, or whose folder is missing. `option` names the flag. */
export function checkFileTarget(file: string, force: boolean, option = '--out'): string {
  const target = resolve(file)
  if (existsSync(target)) {
    if (statSync(target).isDirectory())
      throw new AppError('invalid_input', `${option}: ${file} is a folder; name a file`)
    if (!force)
      throw new AppError('conflict', `${option}: ${file} already exists; add --force to overwrite it`)
  }
  const dir = dirname(target)
  if (!existsSync(dir) || !statSync(dir).isDirectory())
    throw new AppError('not_found', `${option}: the folder ${dirname(file)} does not exist`)
  return target
}

/** Refuses a non-empty folder (unless `force`) or a file in the way; the folder is created if missing. */
export function checkFolderTarget(dir: string, force: boolean, option = '--out'): string {
  const target = resolve(dir)
  if (existsSync(target)) {
    if (!statSync(target).isDirectory())
      throw new AppError('invalid_input', `${option}: ${dir} is a file; name a folder or a .json file`)
    if (!force && readdirSync(target).length > 0)
      throw new AppError(
        'conflict',
        `${option}: the folder ${dir} is not empty; add --force to write into it`,
      )
  } else if (!existsSync(dirname(target)))
    throw new AppError('not_found', `${option}: the folder ${dirname(dir)} does not exist`)
  return target
}

export interface WriteResult {
  file: string
  bytes: number
  /** sha256 of the file's bytes. */
  sha256: string
}

/**
 * Writes `lines` (each followed by a line break) to `file` through a write stream, waiting for
 * 'drain' whenever the stream's buffer is full. The file appears only once complete.
 */
export async function writeLines(
  file: string,
  lines: Iterable<string> | AsyncIterable<string>,
): Promise<WriteResult> {
  const partial = partialPath(file)
  const out = createWriteStream(partial, { mode: 0o600 })
  let bytes = 0
  const hash = createHash('sha256')
  try {
    await once(out, 'open')
    for await (const line of lines) {
      const chunk = line + '\n'
      bytes += Buffer.byteLength(chunk)
      hash.update(chunk)
      if (!out.write(chunk)) await once(out, 'drain')
    }
    out.end()
    await once(out, 'finish')
    renameSync(partial, file)
    return { file, bytes, sha256: hash.digest('hex') }
  } catch (e) {
    out.destroy()
    rmSync(partial, { force: true })
    throw e
  }
}

/** A whole text written the same way (small files: JSON documents). */
export function writeText(file: string, text: string): Promise<WriteResult> {
  return writeLines(file, [text.endsWith('\n') ? text.slice(0, -1) : text])
}
