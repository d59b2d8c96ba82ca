import { dataError } from './read'
import { parseXml, type XmlElement } from './xml'
import { openZip } from './zip'

/**
 * The body paragraphs of a .docx as python-docx (1.x) exposes them to MedHELM's scenarios:
 * `Document.paragraphs` are the top-level <w:p> of the body (not those inside tables);
 * `Paragraph.text` joins its runs and hyperlinks; `Paragraph.runs` are its direct <w:r> only; a
 * run's text maps <w:t> to its text, <w:tab/> and <w:ptab/> to "\t", <w:br/> (line) and <w:cr/> to
 * "\n", <w:noBreakHyphen/> to "-".
 */

export interface DocxRun {
  text: string
  /** The run's w:color value in upper case ("FF0000"), or null when unset or "auto". */
  color: string | null
}

export interface DocxParagraph {
  text: string
  runs: DocxRun[]
}

function runText(run: XmlElement): string {
  let text = ''
  for (const child of run.children) {
    switch (child.name) {
      case 'w:t':
        text += child.text
        break
      case 'w:tab':
      case 'w:ptab':
        text += '\t'
        break
      case 'w:br': {
        const type = child.attributes['w:type']
        if (type === undefined || type === 'textWrapping') text += '\n'
        break
      }
      case 'w:cr':
        text += '\n'
        break
      case 'w:noBreakHyphen':
        text += '-'
        break
    }
  }
  return text
}

function runColor(run: XmlElement): string | null {
  const props = run.children.find((c) => c.name === 'w:rPr')
  const value = props?.children.find((c) => c.name === 'w:color')?.attributes['w:val']
  return value === undefined || value.toLowerCase() === 'auto' ? null : value.toUpperCase()
}

export async function readDocxParagraphs(path: string): Promise<DocxParagraph[]> {
  const zip = await openZip(path, 'Word document (.docx)')
  const entry = 'word/document.xml'
  const document = parseXml(zip.text(entry), `${path}!${entry}`)
  const body = document.children.find((c) => c.name === 'w:body')
  if (!body) throw dataError({ file: `${path}!${entry}` }, null, 'no document body')
  return body.children
    .filter((c) => c.name === 'w:p')
    .map((p) => {
      const runs = p.children
        .filter((c) => c.name === 'w:r')
        .map((r) => ({ text: runText(r), color: runColor(r) }))
      const text = p.children
        .flatMap((c) =>
          c.name === 'w:r' ? [c] : c.name === 'w:hyperlink' ? c.children.filter((r) => r.name === 'w:r') : [],
        )
        .map(runText)
        .join('')
      return { text, runs }
    })
}
