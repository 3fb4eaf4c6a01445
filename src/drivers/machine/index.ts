import * as core from '@actions/core'
import { existsSync } from 'node:fs'
import path from 'node:path'
import { clusterPaths, type ClusterState } from '../../state.js'
import { makePrivateDir } from '../../tls.js'
import type { Driver } from '../driver.js'
import { createArgs, machineCommand } from './cli.js'
import { installMachine } from './installer.js'
import { leaveSwarm } from './leave-swarm.js'
import { machineEngineLog } from './engine-log.js'
import { createMachine, removeMachine } from './machines.js'
import { prepareVirtualBox } from './virtualbox.js'

// Every driver but `local` is a docker-machine driver: one machine per node, created in
// parallel, with the run's CA passed in (docker-machine's own first-create CA is racy).

export interface MachineState {
  binary: string
  /** Every machine main is about to create, recorded before its create starts. */
  machines: string[]
}

/** Hosts that outlive `rm`: they leave the swarm first, to be usable again. */
const HOSTS_OUTLIVE_REMOVAL = ['none', 'generic']
const PROGRESS_EVERY_MS = 15_000

/** docker-machine's MACHINE_STORAGE_PATH, under the cluster's dir. */
const storagePath = (state: ClusterState): string => path.join(state.dir, 'machine')

export const machineDriver: Driver<MachineState> = {
  async preflight() {
    // docker-machine itself is installed in prepare: nothing of the driver's can be checked before.
  },

  async prepare(context) {
    const { inputs, state } = context
    const machineState: MachineState = { binary: '', machines: [] }
    state.driverState = machineState
    context.saveState()
    machineState.binary = await installMachine(inputs.machine)
    context.saveState()
    await makePrivateDir(storagePath(state))
    core.exportVariable('MACHINE_STORAGE_PATH', storagePath(state))
    core.setOutput('storage-path', storagePath(state))
    if (inputs.driver === 'virtualbox') await prepareVirtualBox()
  },

  async create(nodes, context) {
    const { inputs, state } = context
    const machineState = state.driverState!
    const machine = machineCommand(machineState.binary, storagePath(state))
    const creating = new Set<string>()
    const progress = setInterval(() => core.info(`still creating: ${[...creating].join(', ')}`), PROGRESS_EVERY_MS)
    try {
      return await inBatches(nodes, inputs.machine.concurrency, async (node) => {
        machineState.machines.push(node.name)
        context.saveState()
        creating.add(node.name)
        const args = createArgs(inputs.driver, node, inputs.machine.driverOpts, context.tls.files)
        const created = await createMachine(machine, node, args, inputs.machine.retries, context.deadline)
        creating.delete(node.name)
        return created
      })
    } finally {
      clearInterval(progress)
    }
  },

  async remove(state) {
    const machineState = state.driverState
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
    if (HOSTS_OUTLIVE_REMOVAL.includes(state.driver) && state.managerAddress) {
      await leaveSwarm(machine, names, clusterPaths(state.dir).clientCerts, state.managerAddress)
    }
    const left = await Promise.all(names.map((name) => removeMachine(machine, name, { force: true })))
    return left.filter((entry): entry is string => entry !== undefined)
  },

  async engineLog(state, node, limits) {
    return machineEngineLog(machineCommand(state.driverState!.binary, storagePath(state)), node.name, limits)
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
