/**
 * Text supplied by users or servers (endpoint, model, benchmark, reviewer and task names; actors;
 * details) made safe to show in a terminal or on screen: control characters (C0 except line breaks
 * and tabs, DEL, C1 — which include the terminal escape introducers ESC and CSI) and the Unicode
 * bidirectional overrides and isolates (which reorder what follows them, "Trojan Source") are
 * removed; tabs and line breaks become spaces, so a name stays on its line. The one sanitizer of
 * the CLI (tables and printed text) and of the renderer.
 */
const INVISIBLE =
  // eslint-disable-next-line no-control-regex
  /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g

export function displayText(value: string): string {
  return value.replace(INVISIBLE, '').replace(/[\t\r\n]/g, ' ')
}

/** Like displayText, but keeps line breaks (for multi-line text printed as a whole). */
export function displayLines(value: string): string {
  return value
    .split('\n')
    .map((line) => displayText(line.replace(/\r$/, '')))
    .join('\n')
}
