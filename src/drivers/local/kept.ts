import { existsSync, readdirSync } from 'node:fs'
import { rm } from 'node:fs/promises'
import { clusterDir, type ClusterState } from '../../state.js'
import type { EngineNode, KeptLookup, Removal } from '../driver.js'
import { NETNS_DIR } from './host-changes.js'
import { localNames, type LocalState } from './names.js'

// A local cluster kept with `cleanup: false` lives on as long as its runner: found again by its
// bridge (named after the cluster), its nodes read from the record main left in its kept dir.

const bridgeExists = (bridge: string): boolean => existsSync(`/sys/class/net/${bridge}`)

export function findKeptLocal({ inputs, dir, record }: KeptLookup): Promise<EngineNode[] | undefined> {
  const { bridge } = localNames(inputs.name, 0)
  if (!bridgeExists(bridge)) return Promise.resolve(undefined)
  if (!record?.nodes.length) {
    throw new Error(
      `a cluster named "${inputs.name}" runs on this runner (bridge ${bridge}) but ${dir} holds no record of it: it was not kept by setup-swarm, or its files were removed; destroy it by name (setup-swarm/destroy, driver local) and run again`
    )
  }
  return Promise.resolve(record.nodes.map(({ name, role, ip, advertiseIp, dockerHost }) => ({ name, role, ip, advertiseIp, dockerHost })))
}

/** What a kept local cluster has on this runner, derived from its name alone: its record may be gone. */
export function discoverLocal(name: string): LocalState {
  const names = localNames(name, 0)
  const netns = existsSync(NETNS_DIR) ? readdirSync(NETNS_DIR).filter((entry) => entry.startsWith(`${names.bridge}-`)) : []
  return { ...names, netns: netns.sort((a, b) => Number(a.split('-').pop()) - Number(b.split('-').pop())) }
}

/** Removes a kept local cluster by name: its engines, network, firewall rules, cgroups and files. */
export async function destroyKeptLocal(name: string, remove: (state: ClusterState<LocalState>) => Promise<string[]>): Promise<Removal> {
  const dir = clusterDir(name, true)
  const local = discoverLocal(name)
  if (!bridgeExists(local.bridge) && !local.netns.length && !existsSync(dir)) return { removed: [], leftovers: [] }
  const leftovers = await remove({ name, driver: 'local', cleanup: true, dir, driverState: local })
  await rm(dir, { recursive: true, force: true }).catch((error: Error) => leftovers.push(`${dir}: ${error.message}`))
  return { removed: [`local cluster ${name}: ${local.netns.length} node(s), bridge ${local.bridge}, ${dir}`], leftovers }
}
