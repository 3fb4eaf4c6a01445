import * as core from '@actions/core'
import { existsSync } from 'node:fs'
import { findExecutable, run, type RunResult } from '../command.js'
import { Engine, ENGINE_PORT } from '../engine.js'
import type { NodeSpec, TlsFiles } from '../inputs.js'
import { installMachine } from '../installer.js'
import { clusterPaths, type ClusterState } from '../state.js'
import { clientCertDir, makePrivateDir, readClientTls } from '../tls.js'
import { sleep, type Deadline } from '../wait.js'
import type { Driver, EngineNode } from './driver.js'

// Every driver but `local` is a docker-machine driver: one machine per node, created in
// parallel, with the run's CA passed in (docker-machine's own first-create CA is racy).

export interface MachineState {
  binary: string
  /** Every machine main is about to create, recorded before its create starts. */
  machines: string[]
}

/** Hosts that outlive `rm`: they leave the swarm first, to be usable again. */
const HOSTS_OUTLIVE_REMOVAL = ['none', 'generic']
const RM_TIMEOUT_MS = 5 * 60_000
const PROGRESS_EVERY_MS = 15_000

/** The environment of every docker-machine call: private storage, no crash reports to a third party. */
export function machineEnv(storagePath: string): NodeJS.ProcessEnv {
  return { ...process.env, MACHINE_STORAGE_PATH: storagePath, MACHINE_BUGSNAG_API_TOKEN: 'no-report' }
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

/** What a Linux runner needs before VirtualBox VMs can start there. */
export function virtualBoxPreparation(has: { vboxManage: boolean; kvmModules: string[] }): Array<[string, string[]]> {
  const steps: Array<[string, string[]]> = []
  if (!has.vboxManage) {
    // sudo resets the environment: the frontend goes in through env.
    const aptGet = (...args: string[]): [string, string[]] => ['env', ['DEBIAN_FRONTEND=noninteractive', 'apt-get', ...args]]
    steps.push(aptGet('update', '-q'), aptGet('install', '-y', '-q', 'virtualbox'))
  }
  // VirtualBox cannot start a VM while KVM holds VT-x/AMD-V (VERR_VMX_IN_USE / VERR_SVM_IN_USE).
  if (has.kvmModules.length) steps.push(['modprobe', ['-r', ...has.kvmModules]])
  return steps
}

async function prepareVirtualBox(): Promise<void> {
  if (process.platform !== 'linux') return
  // Only a loaded module has an initstate; a built-in kvm has its directory too.
  const kvmModules = ['kvm_intel', 'kvm_amd', 'kvm'].filter((name) => existsSync(`/sys/module/${name}/initstate`))
  for (const [command, args] of virtualBoxPreparation({ vboxManage: Boolean(findExecutable('VBoxManage')), kvmModules })) {
    core.info(`${command} ${args.join(' ')}`)
    await run(command, args, { privileged: true, timeoutMs: 15 * 60_000 })
  }
}

export const machineDriver: Driver = {
  async preflight() {
    // docker-machine itself is installed in prepare: nothing of the driver's can be checked before.
  },

  async prepare(context) {
    const { inputs, state } = context
    const storagePath = clusterPaths(state.dir).machineStorage
    state.machine = { binary: '', machines: [] }
    context.saveState()
    state.machine.binary = await installMachine(inputs.machine)
    context.saveState()
    await makePrivateDir(storagePath)
    core.exportVariable('MACHINE_STORAGE_PATH', storagePath)
    core.setOutput('storage-path', storagePath)
    if (inputs.driver === 'virtualbox') await prepareVirtualBox()
  },

  async create(nodes, context) {
    const { inputs, state } = context
    const machine = machineCommand(state.machine!.binary, clusterPaths(state.dir).machineStorage)
    const creating = new Set<string>()
    const progress = setInterval(() => core.info(`still creating: ${[...creating].join(', ')}`), PROGRESS_EVERY_MS)
    try {
      return await inBatches(nodes, inputs.machine.concurrency, async (node) => {
        state.machine!.machines.push(node.name)
        context.saveState()
        creating.add(node.name)
        await createWithRetries(
          machine,
          node,
          createArgs(inputs.driver, node, inputs.machine.driverOpts, context.tls.files),
          inputs.machine.retries,
          context.deadline
        )
        creating.delete(node.name)
        return describeMachine(machine, node)
      })
    } finally {
      clearInterval(progress)
    }
  }
}

type MachineCommand = (args: string[], timeoutMs?: number) => Promise<RunResult>

/** docker-machine with the run's storage; the caller reads the exit code. */
function machineCommand(binary: string, storagePath: string): MachineCommand {
  const env = machineEnv(storagePath)
  return (args, timeoutMs = RM_TIMEOUT_MS) => run(binary, args, { env, timeoutMs, allowFailure: true })
}

async function createWithRetries(machine: MachineCommand, node: NodeSpec, args: string[], retries: number, deadline: Deadline): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    core.info(`creating ${node.name}${attempt ? ` (retry ${attempt} of ${retries})` : ''}`)
    const result = await machine(args, Math.max(1000, deadline.remainingMs()))
    if (result.code === 0) {
      core.info(`created ${node.name}`)
      return
    }
    const message = lastLines(result)
    // A failed create leaves its record behind: a retry would say "already exists". A record
    // whose half-made machine the provider will not remove stays, for post to try again.
    const notRemoved = await removeMachine(machine, node.name, { force: false })
    if (notRemoved || attempt >= retries || deadline.expired()) {
      throw new Error(`docker-machine create ${node.name} failed${attempt ? ` ${attempt + 1} times` : ''}: ${message}`)
    }
    core.warning(`docker-machine create ${node.name} failed, retrying: ${message}`)
  }
}

interface MachineRecord {
  Driver: { IPAddress?: string; URL?: string; EnginePort?: number }
}

/** A machine's engine from its record: `ip` and `env` have quirks (host:port for none, $SHELL). */
export function machineEndpoint(record: MachineRecord): { ip: string; dockerHost: string } | undefined {
  const { URL: url, IPAddress: address, EnginePort: port } = record.Driver
  // `none` keeps host:port in IPAddress: its URL is the truth where there is one.
  const ip = url ? new URL(url).hostname : address
  return ip ? { ip, dockerHost: url || `tcp://${ip}:${port || ENGINE_PORT}` } : undefined
}

async function inspectMachine(machine: MachineCommand, name: string): Promise<MachineRecord> {
  const result = await machine(['inspect', name], 30_000)
  if (result.code !== 0) throw new Error(`docker-machine inspect ${name} failed: ${result.stderr.trim()}`)
  return JSON.parse(result.stdout) as MachineRecord
}

async function describeMachine(machine: MachineCommand, node: NodeSpec): Promise<EngineNode> {
  const endpoint = machineEndpoint(await inspectMachine(machine, node.name))
  if (!endpoint) throw new Error(`docker-machine has no address for ${node.name}; its driver reported neither an IP address nor a URL`)
  return { name: node.name, role: node.role, ...endpoint }
}

async function inBatches<T, R>(items: T[], concurrency: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length)
  let next = 0
  const errors: Error[] = []
  const worker = async () => {
    while (next < items.length && errors.length === 0) {
      const index = next++
      try {
        results[index] = await work(items[index])
      } catch (error) {
        errors.push(error as Error)
      }
    }
  }
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker))
  if (errors.length) throw new Error(errors.map((error) => error.message).join('\n'))
  return results
}

export async function removeMachines(state: ClusterState): Promise<string[]> {
  const machineState = state.machine
  if (!machineState?.binary || !existsSync(machineState.binary)) return []
  const paths = clusterPaths(state.dir)
  const machine = machineCommand(machineState.binary, paths.machineStorage)
  const listed = await machine(['ls', '-q', '--filter', `name=^${escapeRegExp(state.name)}-`], 60_000)
  const names = [
    ...new Set([
      ...machineState.machines,
      ...listed.stdout
        .split('\n')
        .map((line) => line.trim())
        .filter(Boolean)
    ])
  ]
  if (HOSTS_OUTLIVE_REMOVAL.includes(state.driver) && state.managerAddress) await leaveSwarm(machine, names, paths.clientCerts, state.managerAddress)
  const left = await Promise.all(names.map((name) => removeMachine(machine, name, { force: true })))
  return left.filter((entry): entry is string => entry !== undefined)
}

const lastLines = (result: RunResult): string => (result.stderr.trim() || result.stdout.trim()).split('\n').slice(-5).join('\n')

/**
 * Removes a machine and its record; returns what could not be removed. `rm -f` would drop the
 * record even when the provider failed to delete the machine (it only logs that), so removal
 * runs without -f, once more on a failure, and only then, with `force`, drops the record.
 */
async function removeMachine(machine: MachineCommand, name: string, { force }: { force: boolean }): Promise<string | undefined> {
  let result: RunResult = { code: 1, stdout: '', stderr: '' }
  for (let attempt = 0; attempt < 2; attempt++) {
    if (attempt) await sleep(2000)
    result = await machine(['rm', '-y', name]).catch((error: Error) => ({ code: 1, stdout: '', stderr: error.message }))
    if (result.code === 0 || /does not exist/i.test(lastLines(result))) {
      core.info(`removed machine ${name}`)
      return undefined
    }
  }
  if (force) await machine(['rm', '-f', '-y', name])
  return `machine ${name}: ${lastLines(result)}; it may still exist at the provider: remove it there by hand`
}

/** Hosts that outlive `rm` leave this cluster's swarm (and no other), to be usable again. */
async function leaveSwarm(machine: MachineCommand, names: string[], certDir: string, managerAddress: string): Promise<void> {
  const client = clientCertDir(certDir)
  if (!existsSync(client.key)) return
  const tls = await readClientTls(client)
  await Promise.all(
    names.map(async (name) => {
      const endpoint = machineEndpoint(await inspectMachine(machine, name).catch(() => ({ Driver: {} })))
      if (!endpoint) return
      const engine = new Engine(endpoint.dockerHost, tls)
      try {
        const { Swarm: swarm } = await engine.info()
        if (!swarm.RemoteManagers?.some((manager) => manager.Addr === managerAddress)) return
        await engine.leave(15_000)
        core.info(`${name} left the swarm`)
      } catch (error) {
        core.warning(`${name} could not leave the swarm at ${managerAddress}: ${(error as Error).message}; run \`docker swarm leave --force\` on it`)
      } finally {
        engine.close()
      }
    })
  )
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
}
