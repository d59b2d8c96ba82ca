import { existsSync, realpathSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { basename, dirname, isAbsolute, join, relative, resolve } from 'node:path'
import { AppError } from '../errors'

/**
 * Where a file may be written on the renderer's request: a path the user chose in a native save
 * dialog since the app started, or inside the app's exports folder. Anything else is refused — a
 * compromised page must not be able to write files elsewhere. The dialog belongs to the host (the
 * Electron composition root injects it); the handler that shows it records what the user chose.
 */

/** A native save dialog the host may supply; resolves to the chosen path, or null if cancelled. */
export type PickSaveFile = (options: { defaultName: string; extensions: string[] }) => Promise<string | null>

export interface SaveTargets {
  /** Records a path the user chose in a save dialog. */
  remember(path: string): void
  /** Did the user choose exactly this path (after resolving it) since the app started? */
  chosen(path: string): boolean
}

export function createSaveTargets(): SaveTargets {
  const paths = new Set<string>()
  return {
    remember: (p) => void paths.add(resolve(p)),
    chosen: (p) => paths.has(resolve(p)),
  }
}

/** The app's exports folder: `exports` next to the database. */
export function exportsDir(dataDir: string): string {
  return join(dataDir || tmpdir(), 'exports')
}

/** The real path of `p`, following symbolic links of the part that exists. */
function realPath(p: string): string {
  if (existsSync(p)) return realpathSync(p)
  const parent = dirname(p)
  return parent === p ? p : join(realPath(parent), basename(p))
}

/** Is `file` inside `dir`, after following symbolic links (so a link cannot lead out)? */
export function isInside(dir: string, file: string): boolean {
  const rel = relative(realPath(resolve(dir)), realPath(resolve(file)))
  return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel)
}

/**
 * The resolved path to write for a renderer's request, or AppError('forbidden') naming where the
 * app may write. `file` absent: `fallback` (a file in the exports folder).
 */
export function rendererWriteTarget(
  dataDir: string,
  targets: SaveTargets,
  file: string | undefined,
  fallback: string,
): string {
  const target = resolve(file ?? fallback)
  if (targets.chosen(target) || isInside(exportsDir(dataDir), target)) return target
  throw new AppError(
    'forbidden',
    `file: the app writes only to a file chosen in a save dialog, or inside its exports folder (${exportsDir(dataDir)}).`,
  )
}
