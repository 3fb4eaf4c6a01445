import { createHash } from 'node:crypto'

/** Every bridge, veth and namespace of a local cluster starts with this. */
export const PREFIX = 'swm'

/** What post needs to find a local cluster's resources: all of it derived from the cluster's name. */
export interface LocalState {
  bridge: string
  /** The comment on every firewall rule of this cluster. */
  tag: string
  /** The node namespaces, in node order. */
  netns: string[]
  cgroupParent: string
  subnet?: string
}

export function localNames(clusterName: string, nodeCount: number): LocalState {
  // Interface names have at most 15 characters: a hash of the name, not the name.
  const bridge = PREFIX + createHash('sha256').update(clusterName).digest('hex').slice(0, 8)
  return {
    bridge,
    tag: `setup-swarm:${bridge}`,
    netns: Array.from({ length: nodeCount }, (_, i) => `${bridge}-${i + 1}`),
    cgroupParent: `/setup-swarm-${bridge}`
  }
}

/** The host side of node `index`'s link; the node side is its eth0. */
export const vethName = (local: LocalState, index: number): string => `${local.bridge}v${index + 1}`
