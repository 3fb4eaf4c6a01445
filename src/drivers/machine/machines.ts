import * as core from '@actions/core'
import { ENGINE_PORT } from '../../engine/api.js'
import type { EngineNode } from '../../engine/node.js'
import type { NodeSpec } from '../../inputs/index.js'
import { sleep, type Deadline } from '../../tools/wait.js'
import { lastLines, type MachineCommand } from './cli.js'

// One machine per node: created (with retries) and removed, side by side.

export async function createMachine(
  machine: MachineCommand,
  node: NodeSpec,
  args: string[],
  retries: number,
  deadline: Deadline
): Promise<EngineNode> {
  for (let attempt = 0; ; attempt++) {
    core.info(`creating ${node.name}${attempt ? ` (retry ${attempt} of ${retries})` : ''}`)
    const result = await machine(args, Math.max(1000, deadline.remainingMs()))
    if (result.code === 0) {
      core.info(`created ${node.name}`)
      return describeMachine(machine, node)
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

/**
 * Removes a machine and its record; returns what could not be removed. `rm -f` would drop the
 * record even when the provider failed to delete the machine (it only logs that), so removal
 * runs without -f, once more on a failure, and only then, with `force`, drops the record.
 */
export async function removeMachine(machine: MachineCommand, name: string, { force }: { force: boolean }): Promise<string | undefined> {
  let message = ''
  for (let attempt = 0; attempt < 2; attempt++) {
    if (attempt) await sleep(2000)
    const result = await machine(['rm', '-y', name]).catch((error: Error) => ({ code: 1, stdout: '', stderr: error.message }))
    message = lastLines(result)
    if (result.code === 0 || /does not exist/i.test(message)) {
      core.info(`removed machine ${name}`)
      return undefined
    }
  }
  if (force) await machine(['rm', '-f', '-y', name])
  return `machine ${name}: ${message}; it may still exist at the provider: remove it there by hand`
}

interface MachineRecord {
  Driver: { IPAddress?: string; PrivateIPAddress?: string; URL?: string; EnginePort?: number }
}

/**
 * A machine's engine and addresses from its record (`ip` and `env` have quirks: host:port for none,
 * $SHELL). A cloud machine's nodes talk on its private address; the runner reaches the public one.
 */
export function machineEndpoint(record: MachineRecord): Omit<EngineNode, 'name' | 'role'> | undefined {
  const { URL: url, IPAddress: address, PrivateIPAddress: privateAddress, EnginePort: port } = record.Driver
  // `none` keeps host:port in IPAddress: its URL is the truth where there is one.
  const ip = url ? new URL(url).hostname : address
  return ip ? { ip, advertiseIp: privateAddress || ip, dockerHost: url || `tcp://${ip}:${port || ENGINE_PORT}` } : undefined
}

export async function inspectMachine(machine: MachineCommand, name: string): Promise<MachineRecord> {
  const result = await machine(['inspect', name], 30_000)
  if (result.code !== 0) throw new Error(`docker-machine inspect ${name} failed: ${result.stderr.trim()}`)
  return JSON.parse(result.stdout) as MachineRecord
}

async function describeMachine(machine: MachineCommand, node: NodeSpec): Promise<EngineNode> {
  const endpoint = machineEndpoint(await inspectMachine(machine, node.name))
  if (!endpoint) throw new Error(`docker-machine has no address for ${node.name}; its driver reported neither an IP address nor a URL`)
  return { name: node.name, role: node.role, ...endpoint }
}
