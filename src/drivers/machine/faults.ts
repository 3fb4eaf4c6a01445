import * as core from '@actions/core'
import type { EngineNode } from '../../engine/node.js'
import type { ClusterState } from '../../state/cluster.js'
import type { FaultRequest, NodeFault, NodeFaultState } from '../driver.js'
import { lastLines, machineCommand, machineStoragePath, type MachineCommand } from './cli.js'
import { HOSTS_OUTLIVE_REMOVAL } from './host-endpoints.js'
import type { MachineState } from './state.js'
import { checkInstalledMachine } from './installer.js'

// Faults of docker-machine nodes: the driver's own power off and on (`docker-machine stop` and
// `start`, which wait until the machine is Stopped, or Running with its engine up). `none` and
// `generic` hosts are not docker-machine's to power: their drivers refuse both. Whether a node is
// stopped is asked of the provider each time (`ls --filter state=Stopped`), never remembered.

export const machineFaultsSupported = (driver: string): NodeFault[] => (HOSTS_OUTLIVE_REMOVAL.includes(driver) ? [] : ['stop', 'start'])

/** docker-machine as main installed it for this cluster, checked before it runs: the state comes from a file. */
async function installedMachine(state: ClusterState<MachineState>): Promise<MachineCommand> {
  const binary = state.driverState?.binary
  if (!binary) throw new Error(`docker-machine did not make ${state.name}'s machines on this runner: it cannot stop or start them here`)
  await checkInstalledMachine(binary, state.driverState?.sha256)
  return machineCommand(binary, machineStoragePath(state.dir))
}

export async function machineFaultState(state: ClusterState<MachineState>, nodes: EngineNode[]): Promise<Map<string, NodeFaultState>> {
  // Nothing to find where nothing can be injected, nor on a runner whose docker-machine did not make the machines.
  if (!machineFaultsSupported(state.driver).length || !state.driverState?.binary) return new Map()
  const machine = await installedMachine(state)
  const result = await machine(['ls', '-q', '--filter', 'state=Stopped'], 60_000)
  if (result.code !== 0) throw new Error(`docker-machine ls could not tell which machines are stopped: ${lastLines(result)}`)
  const stopped = new Set(result.stdout.split('\n').map((line) => line.trim()))
  return new Map(nodes.map((node) => [node.name, { stopped: stopped.has(node.name), paused: false, partitioned: false }]))
}

/**
 * Stops or starts the machines, all in one docker-machine call (it acts on them at once). Returns the
 * nodes that came back at another address (a cloud instance without a fixed public address, a VM
 * whose DHCP lease changed), with that address.
 */
export async function injectMachineFault(state: ClusterState<MachineState>, request: FaultRequest): Promise<EngineNode[]> {
  if (request.fault !== 'stop' && request.fault !== 'start') throw new Error(`docker-machine nodes cannot ${request.fault}`)
  const machine = await installedMachine(state)
  const names = request.nodes.map((node) => node.name)
  const result = await machine([request.fault, ...names], Math.max(1000, request.deadline.remainingMs()))
  if (result.code !== 0) throw new Error(`docker-machine ${request.fault} ${names.join(' ')} failed: ${lastLines(result)}`)
  return request.fault === 'start' ? movedNodes(machine, request.nodes) : []
}

/**
 * The started nodes whose address changed, with their new one. The engine's certificate names the
 * old address, so it is made again for the new one (`regenerate-certs`, with the CA the machine was
 * created with); the swarm keeps the address each node advertised when it joined.
 */
export async function movedNodes(machine: MachineCommand, nodes: EngineNode[]): Promise<EngineNode[]> {
  const moved = await Promise.all(
    nodes.map(async (node) => {
      const result = await machine(['ip', node.name], 60_000)
      const ip = result.stdout.trim()
      if (result.code !== 0 || !ip) throw new Error(`docker-machine ip ${node.name} failed after its start: ${lastLines(result)}`)
      if (ip === node.ip) return undefined
      core.info(`${node.name} came back at ${ip}, not ${node.ip}: regenerating its engine's certificate for that address`)
      const regenerated = await machine(['regenerate-certs', '--force', node.name])
      if (regenerated.code !== 0) throw new Error(`docker-machine regenerate-certs ${node.name} failed: ${lastLines(regenerated)}`)
      const url = new URL(node.dockerHost)
      url.hostname = ip
      return { ...node, ip, advertiseIp: node.advertiseIp === node.ip ? ip : node.advertiseIp, dockerHost: url.toString().replace(/\/$/, '') }
    })
  )
  return moved.filter((node) => node !== undefined)
}
