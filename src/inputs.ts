import * as core from '@actions/core'
import { randomBytes } from 'node:crypto'
import path from 'node:path'
import { parse as parseYaml } from 'yaml'
import { splitOptionLines } from './option-lines.js'

export type Role = 'manager' | 'worker'

export interface NodeSpec {
  name: string
  role: Role
  /** docker-machine `create` flags of this node: the role's opts, then the node's own. */
  createOpts: string[]
}

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
  /** Images of the runner's engine to load into every node. */
  images: string[]
  stack?: StackInputs
  /** Collect diagnostics when main fails after nodes exist. */
  diagnostics: boolean
}

export interface StackInputs {
  /** Compose files, as given (relative to the step's working directory). */
  files: string[]
  name: string
}

export const LOCAL_DRIVER = 'local'
export const DEFAULT_MACHINE_VERSION = 'v0.16.2-gitlab.59'
export const DEFAULT_MACHINE_URL = 'https://gitlab-docker-machine-downloads.s3.amazonaws.com'
const DEFAULT_TIMEOUT = { local: 120, machine: 1200 }
const MAX_NAME_LENGTH = 40
// docker-machine's own rule for machine names (libmachine/host.ValidateHostName).
const MACHINE_NAME = /^[a-zA-Z0-9][a-zA-Z0-9\-.]*$/
const DRIVER_NAME = /^[a-zA-Z0-9][a-zA-Z0-9_.-]{0,63}$/

export type InputReader = (name: string) => string
const readInput: InputReader = (name) => core.getInput(name)

export function parseInputs(read: InputReader = readInput): Inputs {
  const driver = read('driver').trim() || LOCAL_DRIVER
  if (!DRIVER_NAME.test(driver)) {
    throw new Error(
      `input \`driver\`: "${driver}" is not a driver name; use \`local\` or a docker-machine driver such as \`virtualbox\`, \`amazonec2\`, \`generic\`, \`none\``
    )
  }
  const isLocal = driver === LOCAL_DRIVER
  const name = read('name').trim() || defaultClusterName()
  validateMachineName(name, 'name')
  if (name.length > MAX_NAME_LENGTH) {
    throw new Error(`input \`name\`: "${name}" is longer than ${MAX_NAME_LENGTH} characters`)
  }

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

  return {
    driver,
    name,
    nodes,
    swarmInitOpts: splitOptionLines(read('swarm-init-opts'), 'swarm-init-opts'),
    cleanup: parseBoolean(read, 'cleanup', true),
    exportEnv: parseBoolean(read, 'export-env', true),
    timeoutSeconds: parseInteger(read, 'timeout', isLocal ? DEFAULT_TIMEOUT.local : DEFAULT_TIMEOUT.machine, 1, 86400),
    tls: parseTlsFiles(read),
    images: parseImages(read),
    stack: parseStack(read),
    diagnostics: parseBoolean(read, 'diagnostics', true),
    machine: {
      version: read('machine-version').trim() || DEFAULT_MACHINE_VERSION,
      url: parseUrl(read, 'machine-url', DEFAULT_MACHINE_URL),
      sha256: parseSha256(read),
      driverOpts,
      concurrency: parseInteger(read, 'concurrency', nodes.length, 1, 1000),
      retries: parseInteger(read, 'retries', 1, 0, 10)
    }
  }
}

function defaultClusterName(): string {
  // Run id and attempt tell runs apart; the random part tells apart two steps of one job
  // and two jobs of one run on the same self-hosted runner.
  const run = process.env.GITHUB_RUN_ID ? `${process.env.GITHUB_RUN_ID}-${process.env.GITHUB_RUN_ATTEMPT ?? '1'}` : 'local'
  return `swarm-${run}-${randomBytes(2).toString('hex')}`
}

function validateMachineName(value: string, inputName: string): void {
  if (!MACHINE_NAME.test(value)) {
    throw new Error(
      `input \`${inputName}\`: "${value}" is not a valid machine name; use letters, digits, '-' and '.', starting with a letter or digit`
    )
  }
}

export function planNodes(clusterName: string, managers: number, workers: number, roleOpts: Record<Role, string[]>): NodeSpec[] {
  const make = (role: Role, count: number): NodeSpec[] =>
    Array.from({ length: count }, (_, i) => ({ name: `${clusterName}-${role}-${i + 1}`, role, createOpts: [...roleOpts[role]] }))
  return [...make('manager', managers), ...make('worker', workers)]
}

function parseNodeList(text: string, clusterName: string, roleOpts: Record<Role, string[]>): NodeSpec[] {
  let items: unknown
  try {
    items = parseYaml(text)
  } catch (error) {
    throw new Error(`input \`nodes\`: not valid YAML: ${(error as Error).message.split('\n')[0]}`, { cause: error })
  }
  if (!Array.isArray(items) || items.length === 0) {
    throw new Error('input `nodes`: expected a YAML list with one item per node, each with a `role`')
  }
  const counters: Record<Role, number> = { manager: 0, worker: 0 }
  const nodes = items.map((item: unknown, index): NodeSpec => {
    const where = `input \`nodes\`, item ${index + 1}`
    if (typeof item !== 'object' || item === null) throw new Error(`${where}: expected a mapping with \`role\`, \`name\`, \`opts\``)
    const { role, name, opts, ...rest } = item as Record<string, unknown>
    if (Object.keys(rest).length) throw new Error(`${where}: unknown key \`${Object.keys(rest)[0]}\`; the keys are role, name, opts`)
    if (role !== 'manager' && role !== 'worker') throw new Error(`${where}: \`role\` must be manager or worker`)
    if (name !== undefined && typeof name !== 'string') throw new Error(`${where}: \`name\` must be a machine name (a string)`)
    const nodeName = name ?? `${clusterName}-${role}-${++counters[role]}`
    validateMachineName(nodeName, `nodes\`, item ${index + 1}, \`name`)
    return { name: nodeName, role, createOpts: [...roleOpts[role], ...splitOptionLines(nodeOptsText(opts, where), `nodes[${index}].opts`)] }
  })
  const managers = nodes.filter((node) => node.role === 'manager')
  if (managers.length === 0) throw new Error('input `nodes`: at least one node must have `role: manager`')
  const names = new Set<string>()
  for (const node of nodes) {
    if (names.has(node.name)) throw new Error(`input \`nodes\`: the name "${node.name}" is used twice`)
    names.add(node.name)
  }
  return [...managers, ...nodes.filter((node) => node.role === 'worker')]
}

/** A node's `opts`: create flags, one per line, as a block of text or as a list of lines. */
function nodeOptsText(opts: unknown, where: string): string {
  const isLine = (value: unknown) => typeof value === 'string' || typeof value === 'number'
  if (opts === undefined || opts === null) return ''
  if (isLine(opts)) return String(opts)
  if (Array.isArray(opts) && opts.every(isLine)) return opts.join('\n')
  throw new Error(`${where}: \`opts\` must be create flags, one per line, as text or as a list of strings`)
}

function parseCount(read: InputReader, inputName: string, fallback: number, minimum: number): number {
  return parseInteger(read, inputName, fallback, minimum, 250)
}

function parseInteger(read: InputReader, inputName: string, fallback: number, minimum: number, maximum: number): number {
  const text = read(inputName).trim()
  if (text === '') return fallback
  if (!/^\d+$/.test(text) || Number(text) < minimum || Number(text) > maximum) {
    throw new Error(`input \`${inputName}\`: "${text}" is not a whole number from ${minimum} to ${maximum}`)
  }
  return Number(text)
}

const TRUE_WORDS = ['true', 'True', 'TRUE']
const FALSE_WORDS = ['false', 'False', 'FALSE']

function parseBoolean(read: InputReader, inputName: string, fallback: boolean): boolean {
  const text = read(inputName).trim()
  if (text === '') return fallback
  if (TRUE_WORDS.includes(text)) return true
  if (FALSE_WORDS.includes(text)) return false
  throw new Error(`input \`${inputName}\`: "${text}" is not a boolean; use true or false`)
}

function parseUrl(read: InputReader, inputName: string, fallback: string): string {
  const text = read(inputName).trim() || fallback
  let url: URL
  try {
    url = new URL(text)
  } catch {
    throw new Error(`input \`${inputName}\`: "${text}" is not a URL`)
  }
  if (!['http:', 'https:'].includes(url.protocol)) {
    throw new Error(`input \`${inputName}\`: "${text}" must be an http or https URL`)
  }
  return text.replace(/\/+$/, '')
}

function parseSha256(read: InputReader): string {
  const text = read('machine-sha256').trim().toLowerCase()
  if (text !== '' && !/^[0-9a-f]{64}$/.test(text)) {
    throw new Error('input `machine-sha256`: expected 64 hexadecimal digits (a SHA-256 checksum)')
  }
  return text
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

/** Lines of an input, trimmed, without blank lines and `#` comments. */
function listLines(read: InputReader, inputName: string): string[] {
  return read(inputName)
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith('#'))
}

// docker's reference grammar, loosely: name components, optional :tag, optional @digest; or an ID.
const IMAGE_REFERENCE =
  /^(?:[a-zA-Z0-9][a-zA-Z0-9._-]*(?::[0-9]+)?\/)*[a-z0-9]+(?:[._-]+[a-z0-9]+)*(?::[\w][\w.-]{0,127})?(?:@sha256:[a-f0-9]{64})?$|^(?:sha256:)?[a-f0-9]{12,64}$/

function parseImages(read: InputReader): string[] {
  const images = [...new Set(listLines(read, 'images'))]
  for (const image of images) {
    if (!IMAGE_REFERENCE.test(image)) throw new Error(`input \`images\`: "${image}" is not an image reference; give one per line, e.g. \`myapp:ci\``)
  }
  return images
}

const STACK_NAME = /^[a-zA-Z0-9][a-zA-Z0-9_-]{0,62}$/

function parseStack(read: InputReader): StackInputs | undefined {
  const files = listLines(read, 'stack')
  const given = read('stack-name').trim()
  if (files.length === 0) {
    if (given) throw new Error('input `stack-name` names the stack of the `stack` input, which is empty: give the compose files in `stack`')
    return undefined
  }
  const name = given || defaultStackName(files[0])
  if (!STACK_NAME.test(name)) {
    throw new Error(`input \`stack-name\`: "${name}" is not a stack name; use letters, digits, '-' and '_', starting with a letter or digit`)
  }
  return { files, name }
}

/** As docker compose names a project: the compose file's directory, made a valid name. */
export function defaultStackName(composeFile: string): string {
  const dir = path.basename(path.dirname(path.resolve(composeFile)))
  const name = dir
    .toLowerCase()
    .replace(/[^a-z0-9_-]+/g, '-')
    .replace(/^[^a-z0-9]+/, '')
    .slice(0, 63)
  return name || 'stack'
}
