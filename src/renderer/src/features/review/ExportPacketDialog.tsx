import { useEffect, useState } from 'react'
import type { PacketPreview } from '../../../../shared/api/review-packets'
import type { ReviewSetSummary } from '../../../../shared/api/review'
import { api, errorMessage } from '../../lib/api'
import { ConfirmDialog } from './ConfirmDialog'
import { PathField } from './PathField'
import { useReview } from './store'

/**
 * Exporting one reviewer's outputs of a set as a packet: says what it holds (patient text or not)
 * before anything is written, and a packet with patient text needs an explicit confirmation.
 */
export function ExportPacketDialog({ set, onClose }: { set: ReviewSetSummary; onClose: () => void }) {
  const reviewers = useReview((s) => s.reviewers)
  const current = useReview((s) => s.reviewer)
  const { say } = useReview.getState()
  const [reviewerId, setReviewerId] = useState<number>(current?.id ?? reviewers[0]?.id ?? 0)
  const [preview, setPreview] = useState<PacketPreview | null>(null)
  const [path, setPath] = useState('')
  const [allowed, setAllowed] = useState(false)
  const [problem, setProblem] = useState<string | null>(null)

  useEffect(() => {
    if (!reviewerId) return
    api.invoke('review:packet-preview', { setId: set.id, reviewerId }).then(
      (p) => {
        setPreview(p)
        setProblem(null)
      },
      (e: unknown) => setProblem(errorMessage(e)),
    )
  }, [set.id, reviewerId])

  const exportNow = async () => {
    try {
      const r = await api.invoke('review:packet-export', {
        setId: set.id,
        reviewerId,
        path,
        confirmed: allowed,
      })
      say(
        `Wrote review packet ${r.path}: ${r.items} outputs for ${r.reviewer} (sha256 ${r.hash.slice(0, 12)}…).`,
      )
      onClose()
    } catch (e) {
      setProblem(errorMessage(e))
    }
  }
  const needsConfirm = preview?.containsPatientText ?? true
  return (
    <ConfirmDialog
      title={`Export a review packet of set ${set.id}`}
      confirmLabel={needsConfirm ? 'Export with patient text' : 'Export packet'}
      confirmDisabled={!preview || path.trim() === '' || (needsConfirm && !allowed)}
      onConfirm={() => void exportNow()}
      onCancel={onClose}
      testId="export-packet-dialog"
    >
      <label className="rv-field">
        For reviewer
        <select value={reviewerId} onChange={(e) => setReviewerId(Number(e.target.value))}>
          {reviewers.map((r) => (
            <option key={r.id} value={r.id}>
              {r.name}
            </option>
          ))}
        </select>
      </label>
      {preview ? <PacketStatement preview={preview} /> : null}
      <PathField
        id="rv-packet-out"
        label="Packet file"
        mode="save"
        suggestedName={preview?.suggestedName ?? 'review-packet.json'}
        value={path}
        onChange={setPath}
        onError={setProblem}
      />
      {preview?.containsPatientText ? (
        <label className="rv-check">
          <input type="checkbox" checked={allowed} onChange={(e) => setAllowed(e.target.checked)} />I confirm
          that this patient text may leave this computer for {preview.reviewer}&apos;s workstation
        </label>
      ) : null}
      {problem ? (
        <p className="rv-error" role="alert">
          {problem}
        </p>
      ) : null}
    </ConfirmDialog>
  )
}

/** What the packet holds, said before anything is written. */
function PacketStatement({ preview }: { preview: PacketPreview }) {
  return (
    <p className={preview.containsPatientText ? 'rv-warning' : 'muted'} data-testid="packet-statement">
      {preview.statement} It holds the reviewer&apos;s outputs in their own order — input, output
      {preview.showsGold ? ', gold answer' : ''} — and no model names, jury scores or other reviewers&apos;
      ratings.
    </p>
  )
}
