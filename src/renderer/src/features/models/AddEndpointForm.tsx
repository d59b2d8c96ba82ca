import { useState } from 'react'
import type { AddEndpointInput } from '../../../../shared/api/models'

function isLoopbackUrl(url: string): boolean | null {
  try {
    const h = new URL(url).hostname.replace(/^\[|\]$/g, '')
    return h === 'localhost' || h === '::1' || /^127\./.test(h)
  } catch {
    return null
  }
}

/** Add an Ollama or OpenAI-compatible server; a server off this machine needs an approval with a reason. */
export function AddEndpointForm(props: { onAdd: (input: AddEndpointInput) => Promise<boolean> }) {
  const [name, setName] = useState('')
  const [url, setUrl] = useState('')
  const [kind, setKind] = useState<'ollama' | 'openai'>('openai')
  const [approve, setApprove] = useState(false)
  const [reason, setReason] = useState('')
  const [busy, setBusy] = useState(false)
  const loopback = isLoopbackUrl(url)
  const needsApproval = loopback === false

  return (
    <form
      className="we-grid-form"
      aria-label="Add endpoint"
      data-testid="add-endpoint-form"
      onSubmit={(ev) => {
        ev.preventDefault()
        setBusy(true)
        void props
          .onAdd({
            name: name.trim(),
            url: url.trim(),
            kind,
            ...(needsApproval && approve ? { approveReason: reason.trim() } : {}),
          })
          .then((ok) => {
            setBusy(false)
            if (ok) {
              setName('')
              setUrl('')
              setApprove(false)
              setReason('')
            }
          })
      }}
    >
      <label>
        Name
        <input
          value={name}
          onChange={(e) => setName(e.target.value)}
          placeholder="lab-vllm"
          required
          pattern="[A-Za-z0-9][A-Za-z0-9._\-]{0,63}"
        />
      </label>
      <label>
        Server URL
        <input
          value={url}
          onChange={(e) => setUrl(e.target.value)}
          placeholder="http://llm.hospital.internal:8000"
          required
        />
      </label>
      <label>
        Kind
        <select value={kind} onChange={(e) => setKind(e.target.value as 'ollama' | 'openai')}>
          <option value="openai">OpenAI-compatible (vLLM, TGI, llama.cpp, LM Studio)</option>
          <option value="ollama">Ollama</option>
        </select>
      </label>
      {needsApproval ? (
        <>
          <label className="we-check we-span">
            <input type="checkbox" checked={approve} onChange={(e) => setApprove(e.target.checked)} />
            Approve this destination now (recorded with your name, the time and the reason)
          </label>
          {approve ? (
            <label className="we-span">
              Reason
              <input
                value={reason}
                onChange={(e) => setReason(e.target.value)}
                placeholder="e.g. Hospital inference server, approved by the DPO (ticket 1234)"
                required
              />
            </label>
          ) : (
            <p className="we-hint we-span">
              Not on this machine: until it is approved, every request to it is refused and logged.
            </p>
          )}
        </>
      ) : null}
      <div className="we-actions">
        <button
          type="submit"
          className="primary"
          disabled={busy || !name.trim() || !url.trim() || (needsApproval && approve && !reason.trim())}
        >
          Add endpoint
        </button>
      </div>
    </form>
  )
}
