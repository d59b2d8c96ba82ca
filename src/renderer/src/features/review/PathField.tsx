import { useEffect, useState } from 'react'
import { api, errorMessage } from '../../lib/api'

let nativeDialogs: Promise<boolean> | null = null
/** Whether the host offers native file dialogs (asked once). */
function hasNativeDialogs(): Promise<boolean> {
  nativeDialogs ??= api.invoke('review:pick-path', { mode: 'open', probe: true }).then(
    (r) => r.available,
    () => false,
  )
  return nativeDialogs
}

/**
 * A file path: typed, or chosen with the host's native open/save dialog where there is one (the
 * desktop app); in a browser there is none and the user types the full path.
 */
export function PathField(props: {
  id: string
  label: string
  value: string
  onChange: (path: string) => void
  mode: 'open' | 'save'
  suggestedName?: string
  onError: (message: string) => void
}) {
  const [native, setNative] = useState(false)
  useEffect(() => {
    void hasNativeDialogs().then(setNative)
  }, [])
  const choose = async () => {
    try {
      const r = await api.invoke('review:pick-path', {
        mode: props.mode,
        ...(props.suggestedName ? { suggestedName: props.suggestedName } : {}),
      })
      if (r.path) props.onChange(r.path)
    } catch (e) {
      props.onError(errorMessage(e))
    }
  }
  return (
    <div className="rv-path">
      <label htmlFor={props.id}>{props.label}</label>
      <div className="rv-inline-form">
        <input
          id={props.id}
          value={props.value}
          onChange={(e) => props.onChange(e.target.value)}
          placeholder={
            props.mode === 'save' ? `/path/to/${props.suggestedName ?? 'file.json'}` : '/path/to/file.json'
          }
          autoComplete="off"
          spellCheck={false}
        />
        {native ? (
          <button type="button" onClick={() => void choose()}>
            {props.mode === 'save' ? 'Save as…' : 'Choose file…'}
          </button>
        ) : null}
      </div>
      {native ? null : <p className="muted small">Type or paste the full path of a file on this computer.</p>}
    </div>
  )
}
