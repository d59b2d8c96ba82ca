import { dataError, readTextFile, type ProgressFn } from './read'

/**
 * A strict reader for the plain XML the published datasets use (MEDIQA's question files):
 * elements, attributes, text, CDATA, comments, processing instructions and a DOCTYPE without an
 * internal subset. Malformed markup throws AppError('bad_data') naming the file and line.
 */

export interface XmlElement {
  name: string
  attributes: Record<string, string>
  children: XmlElement[]
  /** Concatenated character data directly inside this element (entities decoded). */
  text: string
  /** 1-based line of the start tag. */
  line: number
}

/** A start tag at the sticky position: name, attributes, optional self-closing slash. */
const START_TAG = /<([A-Za-z_][\w.:-]*)((?:\s+[A-Za-z_][\w.:-]*\s*=\s*(?:"[^"<]*"|'[^'<]*'))*)\s*(\/?)>/y

const NAMED_ENTITIES: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" }

/** XML 1.0's Char production: tab, newline, carriage return and U+0020 up, without surrogates, U+FFFE and U+FFFF. */
function isXmlChar(code: number): boolean {
  return (
    code === 0x9 ||
    code === 0xa ||
    code === 0xd ||
    (code >= 0x20 && code <= 0xd7ff) ||
    (code >= 0xe000 && code <= 0xfffd) ||
    (code >= 0x10000 && code <= 0x10ffff)
  )
}

/** Line numbers of offsets visited mostly in increasing order, without rescanning from the start. */
function lineCounter(text: string): (offset: number) => number {
  let scanned = 0 // offsets below this have been counted
  let line = 1
  return (offset) => {
    if (offset < scanned) {
      scanned = 0
      line = 1
    }
    for (let j = text.indexOf('\n', scanned); j !== -1 && j < offset; j = text.indexOf('\n', j + 1)) line++
    scanned = offset
    return line
  }
}

/** Reads and parses an XML file (a few MB; parsed whole). Returns the root element. */
export async function readXmlFile(path: string, onProgress?: ProgressFn): Promise<XmlElement> {
  return parseXml(await readTextFile(path, onProgress), path)
}

export function parseXml(source: string, file: string): XmlElement {
  const text = source.replace(/^\uFEFF/, '')
  const lineAt = lineCounter(text)
  const fail = (offset: number, message: string): never => {
    throw dataError({ file, line: lineAt(offset) }, null, message)
  }
  const decode = (raw: string, offset: number): string =>
    raw.replace(/&(#x[0-9a-fA-F]+|#[0-9]+|[A-Za-z]+);|&/g, (match, entity: string | undefined) => {
      if (entity === undefined) return fail(offset, 'a bare "&" (write &amp;)')
      if (entity.startsWith('#')) {
        const code = entity[1] === 'x' ? parseInt(entity.slice(2), 16) : parseInt(entity.slice(1), 10)
        if (!isXmlChar(code))
          return fail(offset, `the character reference "${match}" is not an allowed XML character`)
        return String.fromCodePoint(code)
      }
      const named = NAMED_ENTITIES[entity]
      return named ?? fail(offset, `unknown entity "${match}"`)
    })

  const stack: XmlElement[] = []
  let root: XmlElement | null = null
  let i = 0
  while (i < text.length) {
    const lt = text.indexOf('<', i)
    const chunk = lt === -1 ? text.slice(i) : text.slice(i, lt)
    if (chunk.length > 0) {
      const parent = stack[stack.length - 1]
      if (parent) parent.text += decode(chunk, i)
      else if (chunk.trim() !== '') fail(i, 'text outside the root element')
    }
    if (lt === -1) break
    i = lt
    if (text.startsWith('<!--', i)) {
      const end = text.indexOf('-->', i + 4)
      if (end === -1) fail(i, 'a comment is not closed (truncated file?)')
      i = end + 3
    } else if (text.startsWith('<![CDATA[', i)) {
      const end = text.indexOf(']]>', i + 9)
      if (end === -1) fail(i, 'a CDATA section is not closed (truncated file?)')
      const parent = stack[stack.length - 1]
      if (!parent) fail(i, 'CDATA outside the root element')
      parent!.text += text.slice(i + 9, end)
      i = end + 3
    } else if (text.startsWith('<?', i)) {
      const end = text.indexOf('?>', i + 2)
      if (end === -1) fail(i, 'a processing instruction is not closed (truncated file?)')
      i = end + 2
    } else if (text.startsWith('<!DOCTYPE', i)) {
      const end = text.indexOf('>', i)
      if (end === -1 || text.slice(i, end).includes('[')) fail(i, 'unsupported or unclosed DOCTYPE')
      i = end + 1
    } else if (text.startsWith('</', i)) {
      const end = text.indexOf('>', i)
      if (end === -1) fail(i, 'an end tag is not closed (truncated file?)')
      const name = text.slice(i + 2, end).trim()
      const open = stack.pop()
      if (!open) fail(i, `end tag </${name}> without a start tag`)
      if (open!.name !== name)
        fail(i, `end tag </${name}> does not match <${open!.name}> opened on line ${open!.line}`)
      i = end + 1
    } else {
      START_TAG.lastIndex = i
      const tag = START_TAG.exec(text)
      if (!tag)
        fail(
          i,
          text.indexOf('>', i) === -1 ? 'a start tag is not closed (truncated file?)' : 'malformed start tag',
        )
      const [whole, name, attrText, selfClosing] = tag!
      const attributes: Record<string, string> = {}
      for (const m of attrText!.matchAll(/([A-Za-z_][\w.:-]*)\s*=\s*(?:"([^"]*)"|'([^']*)')/g)) {
        if (m[1]! in attributes) fail(i, `attribute "${m[1]}" repeated on <${name}>`)
        attributes[m[1]!] = decode(m[2] ?? m[3] ?? '', i)
      }
      const element: XmlElement = { name: name!, attributes, children: [], text: '', line: lineAt(i) }
      const parent = stack[stack.length - 1]
      if (parent) parent.children.push(element)
      else if (root) fail(i, `a second root element <${name}>`)
      else root = element
      if (!selfClosing) stack.push(element)
      i += whole!.length
    }
  }
  const unclosed = stack[stack.length - 1]
  if (unclosed)
    fail(text.length, `<${unclosed.name}> opened on line ${unclosed.line} is never closed (truncated file?)`)
  if (!root) fail(0, 'no XML element found')
  return root!
}

/** The single child element named `name`; throws naming the file, line and element when absent. */
export function childElement(parent: XmlElement, name: string, file: string): XmlElement {
  const found = parent.children.filter((c) => c.name === name)
  if (found.length === 0)
    throw dataError({ file, line: parent.line }, name, `<${parent.name}> has no <${name}>`)
  if (found.length > 1)
    throw dataError({ file, line: found[1]!.line }, name, `<${parent.name}> has more than one <${name}>`)
  return found[0]!
}

/** A required attribute. */
export function attribute(element: XmlElement, name: string, file: string): string {
  const value = element.attributes[name]
  if (value === undefined)
    throw dataError({ file, line: element.line }, name, `<${element.name}> has no ${name} attribute`)
  return value
}
