import type { Engine, SwarmNode } from '../engine/api.js'
import type { EngineNode } from '../engine/node.js'
import { pollUntil, type Deadline } from '../tools/wait.js'

// A swarm as main hands it on: its members, where they join, the label that names its cluster, and
// the wait until every node is Ready, shared by a new swarm's formation and a kept one's attach.

export const SWARM_PORT = 2377
export const PORTS_HINT =
  'the nodes must reach each other on 2377/tcp (cluster management), 7946/tcp+udp (node communication) and 4789/udp (overlay traffic)'

export interface SwarmMember extends EngineNode {
  id: string
  status: string
}

export interface Swarm {
  members: SwarmMember[]
  managerIp: string
  managerAddress: string
  workerToken: string
  managerToken: string
}

/**
 * The swarm's own label naming its cluster: a later run that reuses the cluster, or a destroy by
 * name, tells it apart from any other swarm the same hosts could be in.
 */
export const CLUSTER_LABEL = 'setup-swarm.cluster'

/** Where nodes join: the first manager, which initialises the swarm. */
export const joinAddress = (leader: EngineNode): string => `${leader.advertiseIp}:${SWARM_PORT}`

export async function waitForReady(
  nodes: EngineNode[],
  ids: string[],
  manager: Pick<Engine, 'nodes'>,
  deadline: Deadline
): Promise<Map<string, SwarmNode>> {
  let listed = new Map<string, SwarmNode>()
  const notReady = () =>
    nodes
      .filter((_, i) => {
        const entry = listed.get(ids[i])
        return !entry || entry.Status.State !== 'ready' || (entry.Spec.Role === 'manager' && entry.ManagerStatus?.Reachability !== 'reachable')
      })
      .map((node) => node.name)
  await pollUntil(
    deadline,
    'every node to be Ready',
    async () => {
      listed = new Map((await manager.nodes()).map((entry) => [entry.ID, entry]))
      return notReady().length === 0
    },
    { intervalMs: 200, describe: () => `not ready yet: ${notReady().join(', ')}; ${PORTS_HINT}` }
  )
  return listed
}
