import * as core from '@actions/core'
import { existsSync } from 'node:fs'
import { Engine } from '../../engine.js'
import { clientCertDir, readClientTls } from '../../tls.js'
import type { MachineCommand } from './cli.js'
import { inspectMachine, machineEndpoint } from './machines.js'

/** Hosts that outlive `rm` (`none`, `generic`) leave this cluster's swarm, and no other, to be usable again. */
export async function leaveSwarm(machine: MachineCommand, names: string[], certDir: string, managerAddress: string): Promise<void> {
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
