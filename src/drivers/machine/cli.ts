import path from 'node:path'
import type { NodeSpec, TlsFiles } from '../../inputs/index.js'
import { run, type RunResult } from '../../tools/command.js'

// How docker-machine is called: the environment of every call, and the create command line.

/** docker-machine's MACHINE_STORAGE_PATH, under the cluster's dir. */
export const machineStoragePath = (clusterDir: string): string => path.join(clusterDir, 'machine')

/** The environment of every docker-machine call: private storage, no crash reports to a third party. */
export function machineEnv(storagePath: string, base: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  return { ...base, MACHINE_STORAGE_PATH: storagePath, MACHINE_BUGSNAG_API_TOKEN: 'no-report' }
}

export type MachineCommand = (args: string[], timeoutMs?: number) => Promise<RunResult>

const DEFAULT_TIMEOUT_MS = 5 * 60_000

/** docker-machine with the run's storage; the caller reads the exit code. */
export function machineCommand(binary: string, storagePath: string, base?: NodeJS.ProcessEnv): MachineCommand {
  const env = machineEnv(storagePath, base)
  return (args, timeoutMs = DEFAULT_TIMEOUT_MS) => run(binary, args, { env, timeoutMs, allowFailure: true })
}

const tlsFlags = (tls: TlsFiles): string[] => [
  '--tls-ca-cert',
  tls.caCert,
  '--tls-ca-key',
  tls.caKey,
  '--tls-client-cert',
  tls.clientCert,
  '--tls-client-key',
  tls.clientKey
]

/** `docker-machine create` argv: global flags first, every create flag before the name. */
export function createArgs(driver: string, node: NodeSpec, driverOpts: string[], tls: TlsFiles): string[] {
  const opts = [...driverOpts, ...node.createOpts]
  return [...tlsFlags(tls), 'create', '-d', driver, ...opts, ...driverDefaults(driver, opts), node.name]
}

function driverDefaults(driver: string, opts: string[]): string[] {
  // VirtualBox 6.1.28 and later accept host-only networks in 192.168.56.0/21 only.
  if (driver === 'virtualbox' && !opts.some((opt) => opt.startsWith('--virtualbox-hostonly-cidr'))) {
    return ['--virtualbox-hostonly-cidr', '192.168.56.1/24']
  }
  return []
}

/** The end of what a failed command said, for an error message. */
export const lastLines = (result: RunResult): string => (result.stderr.trim() || result.stdout.trim()).split('\n').slice(-5).join('\n')

/** The value of a create flag (`--flag value` or `--flag=value`) among option words; the last one wins. */
export function flagValue(opts: string[], flag: string): string | undefined {
  let value: string | undefined
  opts.forEach((word, index) => {
    if (word === flag) value = opts[index + 1]
    else if (word.startsWith(`${flag}=`)) value = word.slice(flag.length + 1)
  })
  return value
}

export const hasFlag = (opts: string[], flag: string): boolean => opts.some((word) => word === flag || word.startsWith(`${flag}=`))
