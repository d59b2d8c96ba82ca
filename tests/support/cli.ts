import { runCli } from '../../src/main/cli/program'

export interface CliResult {
  code: number
  stdout: string
  stderr: string
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
    env: options.env ?? {},
    isTTY: options.isTTY ?? false,
  })
  return { code, stdout, stderr }
}
