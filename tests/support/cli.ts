import { runCli } from '../../src/main/cli/program'

export interface CliResult {
  code: number
  stdout: string
  stderr: string
}

/** The per-worker data folder (tests/support/isolate-data-dir.ts), never the user's own. */
function isolatedEnv(): NodeJS.ProcessEnv {
  const dir = process.env.XDG_CONFIG_HOME
  return dir ? { XDG_CONFIG_HOME: dir, APPDATA: dir, HOME: dir } : {}
}

/** Runs one CLI invocation in-process and captures what it prints. */
export async function runCliCaptured(
  args: string[],
  options: { env?: NodeJS.ProcessEnv; isTTY?: boolean } = {},
): Promise<CliResult> {
  let stdout = ''
  let stderr = ''
  const code = await runCli(args, {
    stdout: (s) => (stdout += s),
    stderr: (s) => (stderr += s),
    env: options.env ?? isolatedEnv(),
    isTTY: options.isTTY ?? false,
  })
  return { code, stdout, stderr }
}
