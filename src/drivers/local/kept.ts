import { existsSync, readdirSync } from 'node:fs'
import { rm } from 'node:fs/promises'
import type { EngineNode } from '../../engine/node.js'
import { clusterDir, type ClusterState } from '../../state/cluster.js'
import { checkOwner, type ClusterOwner } from '../../state/owner.js'
import { readClusterRecord } from '../../state/record.js'
import type { KeptLookup, Removal } from '../driver.js'
import { readClaim } from './claim.js'
import { NETNS_DIR } from './host-changes.js'
import { claimFile, localNames, type LocalState } from './names.js'

// A local cluster kept with `cleanup: false` lives on as long as its runner: found again by the claim
// on its names (whose repository and user must be this run's) and its bridge, its nodes read from the
// record main left in its kept dir.

const bridgeExists = (bridge: string): boolean => existsSync(`/sys/class/net/${bridge}`)

const claimed = (name: string, local: LocalState) => `the cluster named "${name}" on this runner (${claimFile(local)})`

export function findKeptLocal({ inputs, dir, record, owner }: KeptLookup): Promise<EngineNode[] | undefined> {
  const local = localNames(inputs.name, 0, owner.repository)
  const claim = readClaim(local)
  if (!claim) return Promise.resolve(undefined)
  checkOwner(claimed(inputs.name, local), claim, owner)
  if (!bridgeExists(local.bridge) || !record?.nodes.length) {
    const missing = record?.nodes.length ? `its bridge ${local.bridge} is gone` : `${dir} holds no record of its nodes`
    throw new Error(
      `${claimed(inputs.name, local)} is claimed, but ${missing}: another run is making it at this moment, or one was left half-made; wait for it, or destroy it by name (setup-swarm/destroy, driver local) and run again`
    )
  }
  return Promise.resolve(record.nodes.map(({ name, role, ip, advertiseIp, dockerHost }) => ({ name, role, ip, advertiseIp, dockerHost })))
}

/** What a kept local cluster of `repository` has on this runner, derived from its name: its record may be gone. */
export function discoverLocal(name: string, repository: string): LocalState {
  const names = localNames(name, 0, repository)
  const netns = existsSync(NETNS_DIR) ? readdirSync(NETNS_DIR).filter((entry) => entry.startsWith(`${names.bridge}-`)) : []
  return { ...names, netns: netns.sort((a, b) => Number(a.split('-').pop()) - Number(b.split('-').pop())) }
}

/**
 * Removes `owner`'s kept local cluster by name: its engines, network, firewall rules, cgroups and
 * files. Another's (by the claim on its names, or the record in its dir) is refused, naming whose it is.
 */
export async function destroyKeptLocal(
  name: string,
  owner: ClusterOwner,
  remove: (state: ClusterState<LocalState>) => Promise<string[]>
): Promise<Removal> {
  const dir = clusterDir(name, true)
  const record = await readClusterRecord(dir)
  if (record) checkOwner(`kept cluster "${name}" (${dir})`, record.state.owner, owner)
  const local = discoverLocal(name, owner.repository)
  const claim = readClaim(local)
  if (claim) checkOwner(claimed(name, local), claim, owner)
  const unclaimed =
    !claim && bridgeExists(local.bridge)
      ? [`bridge ${local.bridge}: no claim (${claimFile(local)}) says whose it is, so it was left; remove it by hand`]
      : []
  if (!claim && !existsSync(dir)) return { removed: [], leftovers: unclaimed }
  // Without a claim, remove takes only the files: the engines' data in the dir is root's.
  const state: ClusterState<LocalState> = { name, driver: 'local', cleanup: true, dir, owner, driverState: { ...local, claim: claim?.id } }
  const leftovers = [...unclaimed, ...(await remove(state))]
  await rm(dir, { recursive: true, force: true }).catch((error: Error) => leftovers.push(`${dir}: ${error.message}`))
  return { removed: [`local cluster ${name}: ${local.netns.length} node(s), bridge ${local.bridge}, ${dir}`], leftovers }
}
