import { useState, type FormEvent } from 'react'
import type { OpenedPacket } from '../../../../shared/api/review-packets'
import { api, errorMessage } from '../../lib/api'
import { PathField } from './PathField'
import { useReview } from './store'

/**
 * Review packets, both ends: a clinician on another workstation opens the packet file the
 * coordinator sent, rates it here and writes the ratings file; the coordinator imports that file.
 */
export function PacketsPanel() {
  const packets = useReview((s) => s.packets)
  return (
    <section className="panel" aria-labelledby="rv-packets-h" data-testid="review-packets">
      <h2 id="rv-packets-h">Review packets</h2>
      <p className="muted">
        A packet holds one reviewer&apos;s outputs of a review set, blind, for rating on a workstation without
        this database. Open the packet here, rate it, then write the ratings file and send it back; the
        coordinator imports it.
      </p>
      <div className="rv-packet-forms">
        <OpenPacketForm />
        <ImportRatingsForm />
      </div>
      {packets.length > 0 ? <OpenedPackets packets={packets} /> : null}
    </section>
  )
}

function OpenPacketForm() {
  const { say, setPackets } = useReview.getState()
  const [path, setPath] = useState('')
  const open = async (e: FormEvent) => {
    e.preventDefault()
    try {
      const p = await api.invoke('review:packet-open', { path })
      setPackets(await api.invoke('review:packets'))
      setPath('')
      say(
        `${p.alreadyOpen ? 'This packet was already open' : 'Packet opened'}: ${p.total} outputs of ${p.benchmarkName} for ${p.reviewer}${p.containsPatientText ? ' (contains patient text)' : ''}.`,
      )
    } catch (err) {
      say(null, errorMessage(err))
    }
  }
  return (
    <form onSubmit={(e) => void open(e)}>
      <PathField
        id="rv-packet-path"
        label="Packet file"
        mode="open"
        value={path}
        onChange={setPath}
        onError={(m) => say(null, m)}
      />
      <button type="submit" disabled={path.trim() === ''}>
        Open packet
      </button>
    </form>
  )
}

/** The coordinator's end: a ratings file made from a packet exported here. */
function ImportRatingsForm() {
  const { say, load } = useReview.getState()
  const [path, setPath] = useState('')
  const submit = async (e: FormEvent) => {
    e.preventDefault()
    try {
      const r = await api.invoke('review:packet-import', { path })
      setPath('')
      say(
        r.alreadyImported
          ? `${r.file} was already imported; nothing was written.`
          : `Imported ${r.ratings} ratings of ${r.items} outputs by ${r.reviewer} into review set ${r.setId}${r.replaced ? ` (${r.replaced} replaced)` : ''}; entered by OS user ${r.osUsers.join(', ')}.`,
      )
      await load()
    } catch (err) {
      say(null, errorMessage(err))
    }
  }
  return (
    <form onSubmit={(e) => void submit(e)}>
      <PathField
        id="rv-ratings-path"
        label="Ratings file (coordinator)"
        mode="open"
        value={path}
        onChange={setPath}
        onError={(m) => say(null, m)}
      />
      <button type="submit" disabled={path.trim() === ''}>
        Import ratings
      </button>
    </form>
  )
}

function OpenedPackets({ packets }: { packets: OpenedPacket[] }) {
  const { openPacket } = useReview.getState()
  const [exporting, setExporting] = useState<number | null>(null)
  return (
    <div className="we-table-wrap">
      <table data-testid="opened-packets">
        <caption className="sr-only">Packets opened on this computer</caption>
        <thead>
          <tr>
            <th scope="col">Packet</th>
            <th scope="col">Benchmark</th>
            <th scope="col">For</th>
            <th scope="col">Rated</th>
            <th scope="col">Patient text</th>
            <th scope="col">
              <span className="sr-only">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {packets.map((p) => (
            <tr key={p.id}>
              <th scope="row">
                {p.id} <span className="muted small">set {p.setId}</span>
              </th>
              <td>{p.benchmarkName}</td>
              <td>{p.reviewer}</td>
              <td>
                {p.rated} / {p.total}
              </td>
              <td>{p.containsPatientText ? 'yes' : 'no'}</td>
              <td className="rv-actions">
                <button type="button" className="primary" onClick={() => void openPacket(p.id)}>
                  {p.rated === 0 ? 'Start rating' : p.rated === p.total ? 'Review again' : 'Resume rating'}
                </button>
                <button type="button" onClick={() => setExporting(p.id)} disabled={p.rated === 0}>
                  Export ratings…
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {exporting !== null ? (
        <ExportRatingsForm
          packet={packets.find((p) => p.id === exporting)!}
          onDone={() => setExporting(null)}
        />
      ) : null}
    </div>
  )
}

function ExportRatingsForm({ packet, onDone }: { packet: OpenedPacket; onDone: () => void }) {
  const { say } = useReview.getState()
  const name = `review-set-${packet.setId}-ratings-${packet.hash.slice(0, 8)}.json`
  const [path, setPath] = useState('')
  const submit = async (e: FormEvent) => {
    e.preventDefault()
    try {
      const r = await api.invoke('review:packet-ratings', { packetId: packet.id, path })
      say(`Wrote ${r.path}: ratings of ${r.items} of ${r.total} outputs. Send this file to the coordinator.`)
      onDone()
    } catch (err) {
      say(null, errorMessage(err))
    }
  }
  return (
    <form className="rv-export-ratings" onSubmit={(e) => void submit(e)} aria-label="Export ratings">
      <PathField
        id="rv-ratings-out"
        label={`Ratings file for packet ${packet.id} (${packet.rated} of ${packet.total} rated)`}
        mode="save"
        suggestedName={name}
        value={path}
        onChange={setPath}
        onError={(m) => say(null, m)}
      />
      <div className="rv-actions">
        <button type="submit" className="primary" disabled={path.trim() === ''}>
          Write ratings file
        </button>
        <button type="button" onClick={onDone}>
          Cancel
        </button>
      </div>
    </form>
  )
}
