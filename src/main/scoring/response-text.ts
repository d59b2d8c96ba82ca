/**
 * Clean-up applied to a model response before any closed-ended metric reads it.
 *
 * Reasoning models (DeepSeek-R1, Qwen3, …) put their chain of thought in `<think>…</think>`; HELM's
 * clients drop that part before scoring, so do we. An unterminated `<think>` (output cut off by the
 * token limit) means there is no answer after it; a stray `</think>` without an opening tag (chat
 * templates that pre-fill `<think>`) means everything before it is reasoning.
 */
export function stripReasoning(text: string): string {
  let out = text.replace(/<think(?:ing)?>[\s\S]*?<\/think(?:ing)?>/gi, '')
  const close = out.search(/<\/think(?:ing)?>/i)
  if (close !== -1) {
    const all = [...out.matchAll(/<\/think(?:ing)?>/gi)]
    const last = all[all.length - 1]
    if (last && last.index !== undefined) out = out.slice(last.index + last[0].length)
  }
  const open = out.search(/<think(?:ing)?>/i)
  if (open !== -1) out = out.slice(0, open)
  return out
}

/** Removes markdown emphasis and inline-code markers (`**C**`, `__C__`, `` `C` ``). */
export function stripMarkdownEmphasis(text: string): string {
  return text.replace(/\*\*|__|`/g, '')
}

/** The response as HELM's closed-ended metrics see it: reasoning removed, surrounding space stripped. */
export function finalAnswerText(text: string): string {
  return stripReasoning(text).trim()
}
