import type { ModelInfo } from '../../../../shared/api/models'
import { formatBytes, formatTime } from '../audit/format'
import { displayText } from '../../../../shared/display-text'

export function ModelsTable({ models }: { models: ModelInfo[] }) {
  return (
    <div className="we-table-wrap" tabIndex={0} role="region" aria-label="Models">
      <table data-testid="models-table">
        <thead>
          <tr>
            <th scope="col">Model</th>
            <th scope="col">Digest</th>
            <th scope="col">Size</th>
            <th scope="col">Family</th>
            <th scope="col">Parameters</th>
            <th scope="col">Quantization</th>
            <th scope="col">Context</th>
            <th scope="col">Last seen</th>
          </tr>
        </thead>
        <tbody>
          {models.map((m) => (
            <tr key={m.key} data-testid={`model-${m.key}`}>
              <td>
                <span className="muted">{displayText(m.endpoint)}/</span>
                <strong>{displayText(m.name)}</strong>
              </td>
              <td className="we-mono" title={m.digest ?? 'This server does not report digests'}>
                {m.digest ? m.digest.replace(/^sha256:/, '').slice(0, 12) : <span className="muted">—</span>}
              </td>
              <td>{m.sizeBytes === null ? '' : formatBytes(m.sizeBytes)}</td>
              <td>{m.family ?? ''}</td>
              <td>{m.parameterSize ?? ''}</td>
              <td>{m.quantization ?? ''}</td>
              <td>{m.contextLength === null ? '' : m.contextLength.toLocaleString()}</td>
              <td className="muted">{formatTime(m.lastSeenAt)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  )
}
