import { spawn, type ChildProcess } from 'node:child_process'
import { accessSync, constants } from 'node:fs'
import path from 'node:path'

// @actions/exec 3 can neither bound nor kill a command, and every wait of this action must be
// bounded (and a cancel must end what main started), so commands run through this small spawn wrapper.

export interface RunOptions {
  /** Run as root: through `sudo -n` unless we already are root. */
  privileged?: boolean
  input?: string
  env?: NodeJS.ProcessEnv
  timeoutMs?: number
  /** Resolve instead of throwing on a non-zero exit. */
  allowFailure?: boolean
}

export interface RunResult {
  code: number
  stdout: string
  stderr: string
}

export class CommandError extends Error {
  constructor(
    readonly command: string,
    readonly result: RunResult
  ) {
    const detail = (result.stderr.trim() || result.stdout.trim()).split('\n').slice(-5).join('\n')
    super(`${command} failed (exit ${result.code})${detail ? `: ${detail}` : ''}`)
  }
}

const DEFAULT_TIMEOUT_MS = 60_000

export const isRoot = (): boolean => process.getuid?.() === 0

/** The argv that runs `file args` as root. */
export function privilegedArgv(file: string, args: string[]): [string, string[]] {
  return isRoot() ? [file, args] : ['sudo', ['-n', '--', file, ...args]]
}

/** Commands still running: a cancel ends them, so nothing main started outlives it. */
const running = new Set<ChildProcess>()

export function killRunningCommands(): void {
  for (const child of running) killGroup(child)
}

/** Each command leads its own process group, so that what it started (a driver plugin) ends with it. */
function killGroup(child: ChildProcess): void {
  try {
    process.kill(-child.pid!, 'SIGKILL')
  } catch {
    child.kill('SIGKILL')
  }
}

export async function run(file: string, args: string[], options: RunOptions = {}): Promise<RunResult> {
  const [command, argv] = options.privileged ? privilegedArgv(file, args) : [file, args]
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS
  const shown = `${path.basename(file)} ${args[0] ?? ''}`.trim()
  const result = await new Promise<RunResult>((resolve, reject) => {
    const child = spawn(command, argv, {
      env: options.env ?? process.env,
      stdio: [options.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
      detached: process.platform !== 'win32'
    })
    // Our own timer, not spawn's `timeout`: that one outlives a command that could not start.
    let timedOut = false
    const timer = setTimeout(() => {
      timedOut = true
      killGroup(child)
    }, timeoutMs)
    running.add(child)
    let stdout = ''
    let stderr = ''
    // Decoded as streams: a multi-byte character split across two chunks stays whole.
    child.stdout!.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk))
    child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk))
    child.on('error', (error) => {
      clearTimeout(timer)
      running.delete(child)
      reject(new Error(`cannot run ${shown}: ${error.message}`))
    })
    child.on('close', (code) => {
      clearTimeout(timer)
      running.delete(child)
      if (timedOut) return reject(new Error(`${shown} did not finish within ${timeoutMs / 1000} s and was killed`))
      resolve({ code: code ?? 1, stdout, stderr })
    })
    if (child.stdin) {
      // A command may exit before reading all of its input; its exit code tells what happened.
      child.stdin.on('error', () => undefined)
      child.stdin.end(options.input)
    }
  })
  if (result.code !== 0 && !options.allowFailure) throw new CommandError(shown, result)
  return result
}

/** The absolute path of an executable on PATH (plus the sbin directories sudo users expect), or undefined. */
export function findExecutable(name: string): string | undefined {
  const dirs = [...(process.env.PATH ?? '').split(path.delimiter), '/usr/local/sbin', '/usr/sbin', '/sbin']
  const names = process.platform === 'win32' ? [`${name}.exe`, name] : [name]
  for (const candidate of dirs.filter(Boolean).flatMap((dir) => names.map((file) => path.join(dir, file)))) {
    try {
      accessSync(candidate, constants.X_OK)
      return candidate
    } catch {
      // not here
    }
  }
  return undefined
}
