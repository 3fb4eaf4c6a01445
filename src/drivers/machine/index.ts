import * as core from '@actions/core'
import { existsSync } from 'node:fs'
import { rm } from 'node:fs/promises'
import type { EngineNode } from '../../engine/node.js'
import { makePrivateDir } from '../../engine/tls.js'
import type { NodeSpec } from '../../inputs/index.js'
import { clusterDir, clusterPaths, type ClusterState } from '../../state/cluster.js'
import { checkOwner } from '../../state/owner.js'
import { readClusterRecord } from '../../state/record.js'
import type { CreateContext, Driver } from '../driver.js'
import type { Ec2State } from '../ec2/cluster.js'
import type { MachineState } from './state.js'
export type { MachineState } from './state.js'
import type { Ec2Setup } from './amazonec2.js'
import { createArgs, machineCommand, machineStoragePath } from './cli.js'
import { machineEngineLog } from './engine-log.js'
import { injectMachineFault, machineFaultState, machineFaultsSupported } from './faults.js'
import { HOSTS_OUTLIVE_REMOVAL } from './host-endpoints.js'
import { checkInstalledMachine, installMachine } from './installer.js'
import { destroyKeptHosts, findKeptHosts } from './kept-hosts.js'
import { leaveSwarm } from './leave-swarm.js'
import { createMachine, removeMachine } from './machines.js'
import { prepareVirtualBox } from './virtualbox.js'

// Every driver but `local` is a docker-machine driver: one machine per node, created in
// parallel, with the run's CA passed in (docker-machine's own first-create CA is racy).

const PROGRESS_EVERY_MS = 15_000

const storagePath = (state: ClusterState): string => machineStoragePath(state.dir)

/** The AWS SDK is most of the bundle's size: only an amazonec2 cluster loads it. */
const loadEc2 = () => import('./amazonec2.js')
const loadEc2Cluster = () => import('../ec2/cluster.js')

/** amazonec2's create flags and environment, from prepare to create; never saved (the environment holds credentials). */
const ec2Setups = new WeakMap<ClusterState, Ec2Setup>()

export const machineDriver: Driver<MachineState> = {
  async preflight(inputs) {
    // docker-machine itself is installed in prepare; a provider's own needs are checked now.
    if (inputs.driver === 'amazonec2') (await loadEc2()).preflightEc2(inputs)
    if (HOSTS_OUTLIVE_REMOVAL.includes(inputs.driver) && !inputs.cleanup && !inputs.tls) {
      throw new Error(
        `inputs \`tls-ca-cert\`, \`tls-ca-key\`, \`tls-client-cert\`, \`tls-client-key\`: a kept ${inputs.driver} cluster (\`cleanup: false\`) is found again and destroyed by name only with the CA its hosts trust: give your own`
      )
    }
  },

  async findKept(lookup) {
    const { inputs } = lookup
    if (HOSTS_OUTLIVE_REMOVAL.includes(inputs.driver)) return findKeptHosts(lookup)
    if (inputs.driver === 'amazonec2') return (await loadEc2()).findKeptMachines(inputs, lookup.owner.repository)
    // Machines that live on this runner (VirtualBox on a self-hosted one): the record of the run that made them.
    return lookup.record?.nodes.map(({ name, role, ip, advertiseIp, dockerHost }) => ({ name, role, ip, advertiseIp, dockerHost }))
  },

  async renewKept(inputs) {
    if (inputs.driver === 'amazonec2') await (await loadEc2Cluster()).renewKeptEc2(inputs)
  },

  async destroyKept(request) {
    // The dir a bad name would give is refused before anything of the cluster is touched.
    const keptDir = clusterDir(request.name, true)
    if (request.driver === 'amazonec2')
      return (await loadEc2Cluster()).destroyKeptEc2(request.name, request.driver, request.awsRegion, request.owner.repository)
    if (!HOSTS_OUTLIVE_REMOVAL.includes(request.driver)) {
      throw new Error(
        `input \`driver\`: destroy by name removes \`local\`, \`none\`, \`generic\` and \`amazonec2\` clusters; a ${request.driver} cluster's machines are known only to the docker-machine store of the runner that made them: remove them there with \`docker-machine rm\``
      )
    }
    const record = await readClusterRecord(keptDir)
    if (record) checkOwner(`kept cluster "${request.name}" (${keptDir})`, record.state.owner, request.owner)
    const removal = await destroyKeptHosts(request)
    // docker-machine's records of the hosts, when this runner made the cluster: nothing else is left of it here.
    await rm(keptDir, { recursive: true, force: true })
    return removal
  },

  async prepare(context) {
    const { inputs, state } = context
    const machineState: MachineState = { binary: '', machines: [] }
    state.driverState = machineState
    context.saveState()
    const installed = await installMachine(inputs.machine)
    machineState.binary = installed.binary
    machineState.sha256 = installed.sha256
    context.saveState()
    await makePrivateDir(storagePath(state))
    core.exportVariable('MACHINE_STORAGE_PATH', storagePath(state))
    core.setOutput('storage-path', storagePath(state))
    if (inputs.driver === 'virtualbox') await prepareVirtualBox()
    if (inputs.driver === 'amazonec2') {
      const record = (ec2: Ec2State) => {
        machineState.ec2 = ec2
        context.saveState()
      }
      ec2Setups.set(state, await (await loadEc2()).prepareEc2(inputs, state.dir, context.deadline, record))
    }
  },

  async create(nodes, context) {
    const setup = ec2Setups.get(context.state)
    try {
      return await createMachines(nodes, context, setup)
    } finally {
      await setup?.dispose()
    }
  },

  async remove(state) {
    const machineState = state.driverState
    if (machineState?.ec2) return (await loadEc2Cluster()).removeEc2(state.name, machineState.ec2)
    if (!machineState?.machines.length) return []
    if (!existsSync(machineState.binary)) {
      return machineState.machines.map(
        (name) =>
          `machine ${name}: docker-machine is gone from ${machineState.binary || 'the runner'}, so post could not remove it; remove it at the provider by hand`
      )
    }
    const machine = machineCommand(machineState.binary, storagePath(state))
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
    if (HOSTS_OUTLIVE_REMOVAL.includes(state.driver) && state.swarm) {
      await leaveSwarm(machine, names, clusterPaths(state.dir).clientCerts, state.swarm)
    }
    const left = await Promise.all(names.map((name) => removeMachine(machine, name, { force: true })))
    return left.filter((entry): entry is string => entry !== undefined)
  },

  faultsSupported: machineFaultsSupported,
  faultState: machineFaultState,
  injectFault: injectMachineFault,

  async engineLog(state, node, limits) {
    // A kept cluster reused from another runner has no docker-machine here to ssh with.
    if (!state.driverState?.binary) throw new Error('docker-machine did not run in this job: no ssh to the node')
    // The diagnose action reads this state from the cluster's record, a file: only the installer's own docker-machine runs.
    await checkInstalledMachine(state.driverState.binary, state.driverState.sha256)
    return machineEngineLog(machineCommand(state.driverState.binary, storagePath(state)), node.name, limits)
  }
}

async function createMachines(nodes: NodeSpec[], context: CreateContext<MachineState>, setup: Ec2Setup | undefined): Promise<EngineNode[]> {
  const { inputs, state } = context
  const machineState = state.driverState!
  const machine = machineCommand(machineState.binary, storagePath(state), setup?.env)
  const driverOpts = [...inputs.machine.driverOpts, ...(setup?.createFlags ?? [])]
  const creating = new Set<string>()
  const progress = setInterval(() => core.info(`still creating: ${[...creating].join(', ')}`), PROGRESS_EVERY_MS)
  try {
    return await inBatches(nodes, inputs.machine.concurrency, async (node) => {
      machineState.machines.push(node.name)
      context.saveState()
      creating.add(node.name)
      const created = await createMachine(
        machine,
        node,
        createArgs(inputs.driver, node, driverOpts, context.tls.files),
        inputs.machine.retries,
        context.deadline
      )
      creating.delete(node.name)
      context.nodeReady(created)
      return created
    })
  } finally {
    clearInterval(progress)
  }
}

/** Runs `work` on every item, at most `concurrency` at once; stops starting new ones after a failure. */
async function inBatches<T, R>(items: T[], concurrency: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array<R>(items.length)
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

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
}
