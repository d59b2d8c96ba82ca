import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

/**
 * Every test worker gets its own application-data folder, so a CLI test that falls back to the
 * default database never reads or migrates the user's real ~/.config/WardEval (nor another
 * checkout's). Child processes inherit it.
 */
const dir = mkdtempSync(join(tmpdir(), 'wardeval-test-home-'))
process.env.XDG_CONFIG_HOME = dir
process.env.APPDATA = dir
delete process.env.WARDEVAL_DB
