import { api } from './api'

/**
 * Where to write an export: the file the user picks in the native save dialog (main records it),
 * `{}` where there is no dialog (main writes into its exports folder), or null when the user
 * cancelled.
 */
export async function chooseSaveFile(
  defaultName: string,
  extension: string,
): Promise<{ file?: string } | null> {
  const r = await api.invoke('app:pick-save-file', { defaultName, extensions: [extension], probe: false })
  if (!r.available) return {}
  return r.path === null ? null : { file: r.path }
}
