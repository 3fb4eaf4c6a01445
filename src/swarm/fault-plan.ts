import type { NodeFault, NodeFaultState } from '../drivers/driver.js'
import type { Driver } from '../drivers/driver.js'
import type { EngineNode } from '../engine/node.js'
import type { Fault, FaultInputs } from '../inputs/fault.js'
import type { ClusterRecord } from '../state/record.js'

// The fault action's request checked against the nodes' faults now: the nodes its inputs name, and
// a bad request (an unknown node, a start of a running node, a node partitioned from itself, a
// fault the cluster's driver cannot inject) an error naming the input, before anything changes.

/** The cluster's nodes that `names` name, by full name (`<cluster>-worker-1`) or short name (`worker-1`), each once. */
export function resolveNodes(record: ClusterRecord, names: string[], inputName: string): EngineNode[] {
  const found = names.map((name) => {
    const node = record.nodes.find((candidate) => candidate.name === name || candidate.name === `${record.name}-${name}`)
    if (!node) {
      throw new Error(
        `input \`${inputName}\`: no node "${name}" in cluster ${record.name} (its nodes: ${record.nodes.map((n) => n.name).join(', ')})`
      )
    }
    return node
  })
  return [...new Set(found)]
}

const POWERED =
  'the `local` driver and the docker-machine drivers that power machines off and on (`virtualbox`, `amazonec2`, other VM and cloud drivers; not `none` or `generic`)'

/** Who can inject a driver's fault: named when a cluster's driver cannot. */
const SUPPORTED_BY: Record<NodeFault, string> = {
  stop: POWERED,
  start: POWERED,
  pause: 'the `local` driver only',
  resume: 'the `local` driver only',
  partition: 'the `local` driver only',
  heal: 'the `local` driver only'
}

export interface FaultPlan {
  fault: Fault
  nodes: EngineNode[]
  from: EngineNode[]
}

/** Checks the request against the nodes' faults now: a bad one is an error naming the input, with nothing changed. */
export function planFault(record: ClusterRecord, inputs: FaultInputs, driver: Driver, states: Map<string, NodeFaultState>): FaultPlan {
  const { fault } = inputs
  if (fault !== 'drain' && fault !== 'activate' && !(driver.faultsSupported?.(record.driver) ?? []).includes(fault)) {
    throw new Error(`input \`fault\`: the nodes of a ${record.driver} cluster cannot ${fault}; ${fault} works with ${SUPPORTED_BY[fault]}`)
  }
  const nodes = resolveNodes(record, inputs.nodes, 'nodes')
  const state = (node: EngineNode) => states.get(node.name) ?? { stopped: false, paused: false, partitioned: false }
  const refuse = (node: EngineNode, why: string) => {
    throw new Error(`input \`nodes\`: ${node.name} ${why}`)
  }
  for (const node of nodes) {
    const { stopped, paused } = state(node)
    if (fault === 'start' && !stopped) refuse(node, `is running: only a stopped node can start`)
    if (fault === 'stop' && stopped) refuse(node, 'is stopped already')
    if (fault === 'pause' && stopped) refuse(node, 'is stopped: a stopped node cannot pause')
    if (fault === 'resume' && !paused) refuse(node, 'is not paused: only a paused node can resume')
  }
  let from: EngineNode[] = []
  if (fault === 'partition') {
    from = inputs.from.length ? resolveNodes(record, inputs.from, 'from') : record.nodes.filter((node) => !nodes.includes(node))
    const both = from.find((node) => nodes.includes(node))
    if (both) throw new Error(`input \`from\`: ${both.name} is in \`nodes\` too: a node cannot be partitioned from itself`)
    if (!from.length) throw new Error(`input \`from\`: no other node to partition ${nodes.map((node) => node.name).join(', ')} from`)
  }
  if (fault === 'heal' && !nodes.length) return { fault, nodes: record.nodes.filter((node) => state(node).partitioned), from }
  return { fault, nodes, from }
}
