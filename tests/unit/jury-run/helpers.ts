import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { AppContext } from '../../../src/main/app/context'
import { STANDARD_JURY_CRITERIA } from '../../../src/main/jury/criteria'
import { startNewRun } from '../../../src/main/runs/control'
import type { BenchmarkManifestInput, PackInstanceInput } from '../../../src/shared/benchmarks/pack'
import type { FakeChatRequest } from '../../support/fake-ollama'
import { importPack } from '../runs/helpers'

/** The model under evaluation and three judges, all served by the loopback fake server. */
export const RUN_MODEL = 'llama3.2:3b'
export const JUDGES = ['judge-a', 'judge-b', 'judge-c'] as const
export const JUDGE_KEYS = JUDGES.map((j) => `ollama/${j}`)
export const FAKE_MODELS = [RUN_MODEL, ...JUDGES].map((name) => ({ name }))

export function openManifest(id: string, metrics: BenchmarkManifestInput['metrics']): BenchmarkManifestInput {
  return {
    id,
    name: `Patient questions ${id}`,
    version: '1',
    taxonomy: { category: 'clinical_decision_support', subcategory: 'supporting_diagnostic_decisions' },
    access: 'private',
    taskType: 'open_ended',
    prompt: {
      instructions: 'Answer the patient.',
      template: '{{instructions}}\n\n{{input}}',
      outputNoun: 'Answer',
      maxTokens: 200,
      temperature: 0,
      stop: [],
    },
    metrics,
    jury: { criteria: [...STANDARD_JURY_CRITERIA] },
  }
}

/** Case i asks about condition i; the gold answer names it. */
export function openInstances(n: number): PackInstanceInput[] {
  return Array.from({ length: n }, (_, i) => ({
    id: `case-${i}`,
    input: `Case ${i}: what should the patient do about condition ${i}?`,
    references: [`Rest and drink fluids for condition ${i}.`],
  }))
}

/** Which case a prompt (run or judge) is about. */
export function caseOf(text: string): number {
  const m = /Case (\d+):/.exec(text)
  if (!m) throw new Error(`no case in prompt: ${text.slice(0, 80)}`)
  return Number(m[1])
}

export const isJudgePrompt = (req: FakeChatRequest) =>
  /<response_[0-9a-f]{8}>/.test(req.messages[0]?.content ?? '')

/** The text of one block of a judge prompt (`response`, `gold_response`, `input`…), or null. */
export function promptBlock(prompt: string, name: string): string | null {
  const m = new RegExp(`<${name}_([0-9a-f]{8})>\\n`).exec(prompt)
  if (!m) return null
  const start = m.index + m[0].length
  const end = prompt.indexOf(`\n</${name}_${m[1]}>`, start)
  return end === -1 ? null : prompt.slice(start, end)
}

/** A judge answer with the three standard criteria. */
export function verdict(accuracy: unknown, completeness: unknown, clarity: unknown): string {
  return JSON.stringify({
    accuracy: { score: accuracy, explanation: `accuracy ${String(accuracy)}` },
    completeness: { score: completeness, explanation: `completeness ${String(completeness)}` },
    clarity: { score: clarity, explanation: `clarity ${String(clarity)}` },
  })
}

/**
 * Scripted judges: answers[judge][case] is the list of answers to successive requests (the last
 * one repeats). The run model answers with the gold text, except for the cases in `emptyCases`.
 */
export function scriptedServer(answers: Record<string, Record<number, string[]>>, emptyCases: number[] = []) {
  const asked = new Map<string, number>()
  return (req: FakeChatRequest): string => {
    const first = req.messages[0]?.content ?? ''
    const c = caseOf(first)
    if (!isJudgePrompt(req)) return emptyCases.includes(c) ? '' : `Rest and drink fluids for condition ${c}.`
    const key = `${req.model}|${c}`
    const n = asked.get(key) ?? 0
    asked.set(key, n + 1)
    const list = answers[req.model]?.[c]
    if (!list || list.length === 0) throw new Error(`no scripted answer for ${key}`)
    return list[Math.min(n, list.length - 1)] as string
  }
}

export async function completedRun(
  ctx: AppContext,
  manifest: BenchmarkManifestInput,
  instances: PackInstanceInput[],
  dir: string,
): Promise<number> {
  await importPack(ctx, dir, manifest, instances)
  const { runId, execution } = await startNewRun(ctx, {
    benchmarks: [manifest.id],
    models: [`ollama/${RUN_MODEL}`],
  })
  const status = await execution.done
  if (status !== 'completed') throw new Error(`the run ended ${status}`)
  return runId
}

/**
 * A loopback Ollama embedding server (/api/embed): each text becomes a hashed bag of its words,
 * so identical texts have cosine similarity 1 and texts without common words 0.
 */
export async function startEmbedServer(): Promise<{
  url: string
  requests: unknown[]
  close(): Promise<void>
}> {
  const requests: unknown[] = []
  const embed = (text: string) => {
    const v = new Array<number>(64).fill(0)
    for (const w of text.toLowerCase().match(/[a-z0-9]+/g) ?? []) {
      let h = 0
      for (const ch of w) h = (h * 31 + ch.charCodeAt(0)) % 64
      v[h] = (v[h] as number) + 1
    }
    return v
  }
  const server: Server = createServer((req, res) => {
    let body = ''
    req.on('data', (d: Buffer) => (body += d.toString('utf8')))
    req.on('end', () => {
      if (req.method === 'POST' && req.url === '/api/embed') {
        const parsed = JSON.parse(body) as { model: string; input: string | string[] }
        requests.push(parsed)
        const input = Array.isArray(parsed.input) ? parsed.input : [parsed.input]
        const out = JSON.stringify({ model: parsed.model, embeddings: input.map(embed) })
        res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(out) })
        res.end(out)
        return
      }
      res.writeHead(404, { 'content-type': 'application/json' })
      res.end('{"error":"404 page not found"}')
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  }
}
