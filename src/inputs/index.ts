import * as core from '@actions/core'
import { randomBytes } from 'node:crypto'
import { checkClusterName, checkDriverName, checkMachineVersion } from './names.js'
import { parseNodeList, planNodes, type NodeSpec } from './node-list.js'
import { splitOptionLines } from './option-lines.js'
import { parseImages, parseStack, type StackInputs } from './stack.js'
import {
  parseBoolean,
  parseChoice,
  parseCidrs,
  parseCount,
  parseDuration,
  parseInteger,
  parsePorts,
  parseSha256,
  parseUrl,
  type InputReader
} from './values.js'

export type { NodeSpec, Role } from './node-list.js'
export { planNodes } from './node-list.js'
export { defaultStackName, type StackInputs } from './stack.js'

export interface TlsFiles {
  caCert: string
  caKey: string
  clientCert: string
  clientKey: string
}

export interface MachineInputs {
  version: string
  url: string
  sha256: string
  driverOpts: string[]
  concurrency: number
  retries: number
}

/** What the EC2 drivers (`aws`, `amazonec2`) need beyond their options. */
export interface AwsInputs {
  /** The `aws-region` input as given; the driver falls back to AWS_REGION, then AWS_DEFAULT_REGION. */
  region: string
  /** Who may reach SSH and Docker's TLS port; empty: the runner's own public address. */
  allowedCidrs: string[]
  publishedPorts: number[]
  /** Published ports open to 0.0.0.0/0 rather than only to `allowedCidrs`. */
  publishToInternet: boolean
}

export interface Inputs {
  driver: string
  name: string
  /** Every node to create, managers first; the first manager initialises the swarm. */
  nodes: NodeSpec[]
  swarmInitOpts: string[]
  cleanup: boolean
  exportEnv: boolean
  timeoutSeconds: number
  tls?: TlsFiles
  machine: MachineInputs
  aws: AwsInputs
  /** How long the cluster may live: cloud resources carry it, and a sweep removes what outlived it. */
  ttlSeconds: number
  /** Images of the runner's engine to load into every node. */
  images: string[]
  stack?: StackInputs
  /** Collect diagnostics when main fails after nodes exist. */
  diagnostics: boolean
}

export const LOCAL_DRIVER = 'local'
/** EC2 instances launched by the action itself (docker-machine's is `amazonec2`). */
export const AWS_DRIVER = 'aws'
export const DEFAULT_MACHINE_VERSION = 'v0.16.2-gitlab.59'
export const DEFAULT_MACHINE_URL = 'https://gitlab-docker-machine-downloads.s3.amazonaws.com'
const DEFAULT_TIMEOUT = { local: 120, machine: 1200 }
/** A removed cluster's resources outlive it only when post never ran: a job lasts 6 h at most. A kept one lives a week. */
const DEFAULT_TTL_SECONDS = { removed: 6 * 3600, kept: 7 * 86400 }

const readInput: InputReader = (name) => core.getInput(name)

export function parseInputs(read: InputReader = readInput): Inputs {
  const driver = checkDriverName(read('driver').trim() || LOCAL_DRIVER)
  const isLocal = driver === LOCAL_DRIVER
  const name = checkClusterName(read('name').trim() || defaultClusterName())

  const roleOpts = {
    manager: splitOptionLines(read('manager-opts'), 'manager-opts'),
    worker: splitOptionLines(read('worker-opts'), 'worker-opts')
  }
  const nodesYaml = read('nodes').trim()
  const nodes = nodesYaml
    ? parseNodeList(nodesYaml, name, roleOpts)
    : planNodes(name, parseCount(read, 'managers', 1, 1), parseCount(read, 'workers', 1, 0), roleOpts)
  if (isLocal && nodes.length > 250) {
    throw new Error(`input \`managers\`/\`workers\`: the \`local\` driver runs at most 250 nodes, ${nodes.length} were asked for`)
  }
  const driverOpts = splitOptionLines(read('driver-opts'), 'driver-opts')
  if (isLocal && (driverOpts.length || nodes.some((node) => node.createOpts.length))) {
    throw new Error('inputs `driver-opts`, `manager-opts`, `worker-opts` and `nodes[].opts` are docker-machine flags; the `local` driver takes none')
  }

  const cleanup = parseBoolean(read, 'cleanup', true)
  return {
    driver,
    name,
    nodes,
    swarmInitOpts: splitOptionLines(read('swarm-init-opts'), 'swarm-init-opts'),
    cleanup,
    exportEnv: parseBoolean(read, 'export-env', true),
    timeoutSeconds: parseInteger(read, 'timeout', isLocal ? DEFAULT_TIMEOUT.local : DEFAULT_TIMEOUT.machine, 1, 86400),
    tls: parseTlsFiles(read),
    images: parseImages(read),
    stack: parseStack(read),
    diagnostics: parseBoolean(read, 'diagnostics', true),
    machine: {
      version: checkMachineVersion(read('machine-version').trim() || DEFAULT_MACHINE_VERSION),
      url: parseUrl(read, 'machine-url', DEFAULT_MACHINE_URL),
      sha256: parseSha256(read),
      driverOpts,
      concurrency: parseInteger(read, 'concurrency', nodes.length, 1, 1000),
      retries: parseInteger(read, 'retries', 1, 0, 10)
    },
    aws: {
      region: read('aws-region').trim(),
      allowedCidrs: parseCidrs(read, 'allowed-cidrs'),
      publishedPorts: parsePorts(read, 'published-ports'),
      publishToInternet: parseChoice(read, 'published-ports-from', ['allowed-cidrs', 'anywhere'] as const) === 'anywhere'
    },
    ttlSeconds: parseDuration(read, 'ttl', cleanup ? DEFAULT_TTL_SECONDS.removed : DEFAULT_TTL_SECONDS.kept)
  }
}

function defaultClusterName(): string {
  // Run id and attempt tell runs apart; the random part tells apart two steps of one job
  // and two jobs of one run on the same self-hosted runner.
  const run = process.env.GITHUB_RUN_ID ? `${process.env.GITHUB_RUN_ID}-${process.env.GITHUB_RUN_ATTEMPT ?? '1'}` : 'local'
  return `swarm-${run}-${randomBytes(2).toString('hex')}`
}

const TLS_INPUTS: Record<keyof TlsFiles, string> = {
  caCert: 'tls-ca-cert',
  caKey: 'tls-ca-key',
  clientCert: 'tls-client-cert',
  clientKey: 'tls-client-key'
}

function parseTlsFiles(read: InputReader): TlsFiles | undefined {
  const entries = Object.entries(TLS_INPUTS).map(([key, inputName]) => [key, read(inputName).trim()] as const)
  const given = entries.filter(([, value]) => value !== '')
  if (given.length === 0) return undefined
  if (given.length !== entries.length) {
    const missing = entries.filter(([, value]) => value === '').map(([key]) => `\`${TLS_INPUTS[key as keyof TlsFiles]}\``)
    throw new Error(
      `inputs ${Object.values(TLS_INPUTS)
        .map((n) => `\`${n}\``)
        .join(', ')} go together; missing: ${missing.join(', ')}`
    )
  }
  return Object.fromEntries(entries) as unknown as TlsFiles
}
