import type { ReportDoc } from '../doc'

// SCAFFOLD (replaced in this session by the PDF renderer work).
export async function renderPdf(_doc: ReportDoc): Promise<Buffer> {
  throw new Error('PDF rendering is not built yet')
}
