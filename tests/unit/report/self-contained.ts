/**
 * Every reference a browser could fetch in an HTML file: src=, href=, srcset=… in any tag (text is
 * escaped, so a tag is markup), url() and @import anywhere, and any <script>. Fragments (#id) stay
 * inside the document and are allowed.
 */
export function externalReferences(html: string): string[] {
  const found: string[] = []
  for (const tag of html.matchAll(/<[a-z][^>]*>/gi))
    for (const m of tag[0].matchAll(
      /\b(?:src|href|srcset|action|poster|data|background)\s*=\s*["']?([^"'\s>]*)/gi,
    ))
      if (!m[1]!.startsWith('#')) found.push(m[0])
  for (const m of html.matchAll(/url\(\s*["']?([^"')]*)/gi)) if (!m[1]!.startsWith('#')) found.push(m[0])
  if (/@import/i.test(html)) found.push('@import')
  if (/<script/i.test(html)) found.push('<script')
  return found
}
