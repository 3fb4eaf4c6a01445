import { createHash } from 'node:crypto'
import path from 'node:path'
import { runRepository } from '../../state/owner.js'

/** Every bridge, veth and namespace of a local cluster starts with this. */
export const PREFIX = 'swm'
/** Every firewall rule of a local cluster carries a comment that starts with this. */
export const TAG_PREFIX = 'setup-swarm:'

/** What post needs to find a local cluster's resources: all of it derived from the cluster's repository and name. */
export interface LocalState {
  bridge: string
  /** The comment on every firewall rule of this cluster. */
  tag: string
  /** The node namespaces, in node order. */
  netns: string[]
  cgroupParent: string
  subnet?: string
  /** The claim this run wrote (claim.ts): post removes the cluster only while its names carry this one. */
  claim?: string
}

/**
 * Every host-wide name of the cluster `clusterName` of `repository` (this run's unless given): two
 * repositories' clusters of one name (`pr-5`) on one runner get names of their own.
 */
export function localNames(clusterName: string, nodeCount: number, repository = runRepository()): LocalState {
  // Interface names have at most 15 characters: a hash, not the names. A repository has one '/' and a
  // cluster's name none, so `owner/repo/name` tells every pair apart.
  const bridge = PREFIX + createHash('sha256').update(`${repository}/${clusterName}`).digest('hex').slice(0, 8)
  return {
    bridge,
    tag: `${TAG_PREFIX}${bridge}`,
    netns: Array.from({ length: nodeCount }, (_, i) => `${bridge}-${i + 1}`),
    cgroupParent: `/setup-swarm-${bridge}`
  }
}

/** The claim on the cluster's names (claim.ts): in /run, root's, gone at a reboot with the cluster itself. */
export const claimFile = (local: LocalState): string => `/run/setup-swarm-${local.bridge}.claim`

/** The 8 hex digits of the cluster's name hash in its bridge's name, from which its other network names and numbers come. */
export const bridgeHash = (local: LocalState): string => local.bridge.slice(PREFIX.length)

/** The host side of node `index`'s link; the node side is its eth0. */
export const vethName = (local: LocalState, index: number): string => `${local.bridge}v${index + 1}`

/**
 * The device group of the cluster's host-side links, from the bridge's hash: the kernel deletes a
 * group in one pass (7 links: 0.02 s instead of 0.15 s). Between 2^30 and 2^31 - 1 (iproute2 takes
 * no more), so never the default group 0 of every other link, nor a small one someone else uses.
 */
export const linkGroup = (local: LocalState): number => (parseInt(bridgeHash(local), 16) & 0x3fffffff) | 0x40000000

/** The bridge's own MAC address, from its hash: locally administered (02:…), unicast. */
export const bridgeAddress = (local: LocalState): string => `02:00:${bridgeHash(local).match(/../g)!.join(':')}`

/** The local driver's files under the cluster's dir; engines running as root write into `nodes`. */
export function localPaths(dir: string) {
  return { nodes: path.join(dir, 'nodes'), resolvConf: path.join(dir, 'resolv.conf') }
}

/**
 * Node `index`'s cgroup, below the cluster's: its containers' cgroups are below it, and its own
 * processes' (engineCgroup), so that freezing it freezes the whole node.
 */
export const nodeCgroup = (local: LocalState, index: number): string => `${local.cgroupParent}/${local.netns[index]}`

/** Where the node's own processes (its engine, containerd, the shims) live: a leaf, as cgroup v2 wants processes. */
export const engineCgroup = (local: LocalState, index: number): string => `${nodeCgroup(local, index)}/engine`
