import type { NodeFaultState } from '../drivers/driver.js'
import { Engine, type EngineTls, type SwarmNode } from '../engine/api.js'
import type { EngineNode } from '../engine/node.js'
import type { ClusterRecord } from '../state/record.js'
import { pollUntil, type Deadline } from '../tools/wait.js'
import type { FaultPlan } from './fault-plan.js'

// A fault as the swarm sees it: drain and activate (the swarm's own, for every driver), the wait
// until the swarm shows a fault's effect, and each node's state now for the \`nodes\` output.

/** The swarm's node list from the first manager that answers (one stopped, paused or without quorum does not). */
export async function listSwarmNodes(record: ClusterRecord, tls: EngineTls, states: Map<string, NodeFaultState>): Promise<SwarmNode[] | undefined> {
  const managers = record.nodes.filter((node) => node.role === 'manager' && !states.get(node.name)?.stopped && !states.get(node.name)?.paused)
  // Not partitioned first: a minority manager's answer is stale, or none.
  managers.sort((a, b) => Number(states.get(a.name)?.partitioned ?? false) - Number(states.get(b.name)?.partitioned ?? false))
  for (const manager of managers) {
    const engine = new Engine(manager.dockerHost, tls)
    try {
      return await engine.nodes(5000)
    } catch {
      // The next one.
    } finally {
      engine.close()
    }
  }
  return undefined
}

/** `drain` or `activate`: the nodes' availability, through a manager. */
export async function setAvailability(
  record: ClusterRecord,
  nodes: Array<EngineNode & { id?: string }>,
  availability: 'drain' | 'active',
  tls: EngineTls,
  states: Map<string, NodeFaultState>
): Promise<void> {
  const managers = record.nodes.filter((node) => node.role === 'manager' && !states.get(node.name)?.stopped && !states.get(node.name)?.paused)
  let lastError = 'no manager runs'
  for (const manager of managers) {
    const engine = new Engine(manager.dockerHost, tls)
    try {
      const listed = await engine.nodes(5000)
      for (const node of nodes) {
        const entry = listed.find((candidate) => candidate.ID === node.id || candidate.Description.Hostname === node.name)
        if (!entry) throw new Error(`${node.name} is not in the swarm`)
        await engine.updateNode(entry.ID, entry.Version?.Index ?? 0, { ...entry.Spec, Availability: availability })
      }
      return
    } catch (error) {
      lastError = `${manager.name}: ${(error as Error).message}`
    } finally {
      engine.close()
    }
  }
  throw new Error(`could not set ${nodes.map((node) => node.name).join(', ')} to ${availability}: ${lastError}`)
}

type RecordNode = ClusterRecord['nodes'][number]

/** The swarm's entry for a node: by its ID, else by its hostname. */
const entryOf = (listed: SwarmNode[], node: RecordNode) =>
  listed.find((entry) => entry.ID === node.id) ?? listed.find((entry) => entry.Description.Hostname === node.name)

/** What the swarm must show once the fault took effect; undefined when nothing is waited for. */
function effect(plan: FaultPlan): ((listed: SwarmNode[], tasks: () => Promise<TaskView>) => Promise<string[]>) | undefined {
  const nodes = plan.nodes as RecordNode[]
  const ready = (listed: SwarmNode[]) =>
    nodes.flatMap((node) => {
      const entry = entryOf(listed, node)
      if (!entry || entry.Status.State !== 'ready') return [`${node.name} is ${entry?.Status.State ?? 'not listed'}`]
      if (node.id && entry.ID !== node.id) return [`${node.name} is in the swarm as ${entry.ID}, not ${node.id}`]
      if (entry.Spec.Role === 'manager' && entry.ManagerStatus?.Reachability !== 'reachable') return [`${node.name} is not a reachable manager yet`]
      return []
    })
  switch (plan.fault) {
    case 'stop':
    case 'pause':
      return async (listed, tasks) => {
        const down = nodes.flatMap((node) =>
          entryOf(listed, node)?.Status.State === 'down' ? [] : [`${node.name} is ${entryOf(listed, node)?.Status.State ?? 'not listed'}`]
        )
        if (down.length) return down
        return movedOff(await tasks(), listed, nodes, true)
      }
    case 'start':
    case 'resume':
      return (listed) => Promise.resolve(ready(listed))
    case 'heal':
      // A healed minority is Ready before the raft has elected again: writes fail until it has a leader.
      return (listed) =>
        Promise.resolve([...ready(listed), ...(listed.some((entry) => entry.ManagerStatus?.Leader) ? [] : ['the swarm has no leader yet'])])
    case 'drain':
      return async (listed, tasks) => {
        const drained = nodes.flatMap((node) => (entryOf(listed, node)?.Spec.Availability === 'drain' ? [] : [`${node.name} is not drained`]))
        return drained.length ? drained : movedOff(await tasks(), listed, nodes, false)
      }
    case 'activate':
      return (listed) =>
        Promise.resolve(nodes.flatMap((node) => (entryOf(listed, node)?.Spec.Availability === 'active' ? [] : [`${node.name} is not active`])))
    case 'partition':
      return undefined
  }
}

interface TaskView {
  tasks: Array<{ ID: string; ServiceID: string; NodeID?: string; DesiredState: string; Status: { State: string } }>
  services: Array<{
    ID: string
    Spec: { Name: string; Mode: { Replicated?: unknown } }
    ServiceStatus?: { RunningTasks: number; DesiredTasks: number }
  }>
}

/** Tasks moved off the nodes: none still runs there (drain), none is meant to (a node Down), and every replicated service runs all its tasks again. */
function movedOff(view: TaskView, listed: SwarmNode[], nodes: RecordNode[], replicatedOnly: boolean): string[] {
  const ids = new Set(nodes.map((node) => entryOf(listed, node)?.ID))
  const replicated = new Set(view.services.filter((service) => service.Spec.Mode.Replicated).map((service) => service.ID))
  const left = view.tasks.filter(
    (task) =>
      ids.has(task.NodeID) &&
      (!replicatedOnly || replicated.has(task.ServiceID)) &&
      (replicatedOnly ? task.DesiredState === 'running' : ['running', 'starting', 'preparing', 'assigned', 'accepted'].includes(task.Status.State))
  )
  if (left.length) return [`${left.length} task(s) still on ${nodes.map((node) => node.name).join(', ')}`]
  // Counted from the tasks, not ServiceStatus: a task on a node that is Down still counts as running there.
  const behind = view.services.flatMap((service) => {
    const replicas = (service.Spec.Mode.Replicated as { Replicas?: number } | undefined)?.Replicas
    if (replicas === undefined) return []
    const running = view.tasks.filter(
      (task) => task.ServiceID === service.ID && task.DesiredState === 'running' && task.Status.State === 'running' && !ids.has(task.NodeID)
    ).length
    return running < replicas ? [`service ${service.Spec.Name} runs ${running}/${replicas} tasks elsewhere`] : []
  })
  return behind
}

/** Waits, bounded, with a progress line every 5 s, until the swarm shows the fault's effect. */
export async function waitForEffect(
  record: ClusterRecord,
  plan: FaultPlan,
  tls: EngineTls,
  currentStates: () => Promise<Map<string, NodeFaultState>>,
  deadline: Deadline
): Promise<void> {
  const check = effect(plan)
  if (!check || !plan.nodes.length) return
  const states = await currentStates()
  let missing: string[] = ['no manager answers']
  const what = `the swarm to show ${plan.nodes.map((node) => node.name).join(', ')} ${{ stop: 'Down', pause: 'Down', start: 'Ready', resume: 'Ready', heal: 'Ready, with a leader', drain: 'drained', activate: 'active', partition: '' }[plan.fault]}`
  await pollUntil(
    deadline,
    what,
    async () => {
      const listed = await listSwarmNodes(record, tls, states)
      if (!listed) {
        missing = ['no manager answers']
        return false
      }
      missing = await check(listed, () => swarmTasks(record, tls, states))
      return missing.length === 0
    },
    { intervalMs: 250, describe: () => missing.join('; ') }
  )
}

async function swarmTasks(record: ClusterRecord, tls: EngineTls, states: Map<string, NodeFaultState>): Promise<TaskView> {
  const managers = record.nodes.filter((node) => node.role === 'manager' && !states.get(node.name)?.stopped && !states.get(node.name)?.paused)
  let lastError: Error = new Error('no manager runs')
  for (const manager of managers) {
    const engine = new Engine(manager.dockerHost, tls)
    try {
      const [tasks, services] = await Promise.all([engine.tasks(), engine.services()])
      return { tasks, services }
    } catch (error) {
      lastError = error as Error
    } finally {
      engine.close()
    }
  }
  throw lastError
}

/** The `nodes` output: main's, each with its state now. */
export function nodesOutput(record: ClusterRecord, listed: SwarmNode[] | undefined, states: Map<string, NodeFaultState>) {
  return record.nodes.map((node) => {
    const entry = listed && entryOf(listed, node)
    const state = states.get(node.name)
    const fault = state?.stopped ? 'stopped' : state?.paused ? 'paused' : state?.partitioned ? 'partitioned' : 'none'
    return {
      name: node.name,
      role: node.role,
      ip: node.ip,
      advertiseIp: node.advertiseIp,
      dockerHost: node.dockerHost,
      id: node.id,
      status: entry?.Status.State ?? 'unknown',
      availability: entry?.Spec.Availability ?? 'unknown',
      fault
    }
  })
}
