import * as core from '@actions/core'
import { existsSync } from 'node:fs'
import { Engine, type EngineInfo } from '../../engine/api.js'
import { clientCertDir, readClientTls } from '../../engine/tls.js'
import type { SwarmIdentity } from '../../state/cluster.js'
import type { MachineCommand } from './cli.js'
import { inspectMachine, machineEndpoint } from './machines.js'

/** Hosts that outlive `rm` (`none`, `generic`) leave this cluster's swarm, and no other, to be usable again. */
export async function leaveSwarm(machine: MachineCommand, names: string[], certDir: string, swarm: SwarmIdentity): Promise<void> {
  const client = clientCertDir(certDir)
  if (!existsSync(client.key)) return
  const tls = await readClientTls(client)
  await Promise.all(
    names.map(async (name) => {
      const endpoint = machineEndpoint(await inspectMachine(machine, name).catch(() => ({ Driver: {} })))
      if (!endpoint) return
      const engine = new Engine(endpoint.dockerHost, tls)
      try {
        if (!isMember((await engine.info()).Swarm, swarm)) return
        await engine.leave(15_000)
        core.info(`${name} left the swarm`)
      } catch (error) {
        core.warning(
          `${name} could not leave the swarm at ${swarm.managerAddress}: ${(error as Error).message}; run \`docker swarm leave --force\` on it`
        )
      } finally {
        engine.close()
      }
    })
  )
}

/** A manager knows its swarm's ID; a worker only where its managers are. */
function isMember(node: EngineInfo['Swarm'], swarm: SwarmIdentity): boolean {
  if (node.Cluster?.ID) return node.Cluster.ID === swarm.id
  return Boolean(node.RemoteManagers?.some((manager) => manager.Addr === swarm.managerAddress))
}
