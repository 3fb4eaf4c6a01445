import * as core from '@actions/core'
import { Engine, type EngineInfo, type EngineTls } from '../engine/api.js'
import type { EngineNode } from '../engine/node.js'
import type { SwarmIdentity } from '../state/cluster.js'
import { Deadline, pollUntil } from '../tools/wait.js'
import { CLUSTER_LABEL, joinAddress, type Swarm, waitForReady } from './members.js'

// A kept cluster, found again by a later run: checked before anything uses it, so that a run on a
// broken cluster fails saying what is broken instead of deploying into it.

export interface Attached {
  swarm: Swarm
  identity: SwarmIdentity
}

/** Engines that answer within this much of the deadline, or the cluster is not healthy. */
const ANSWER_MS = 30_000

/**
 * Checks that every node's engine answers, that the first node manages a swarm labelled with this
 * cluster's name, and that every node (and no other) is a Ready member with the role it was made
 * with; then reads what the outputs need (the join tokens too, masked as they arrive).
 */
export async function attachSwarm(name: string, nodes: EngineNode[], tls: EngineTls, deadline: Deadline): Promise<Attached> {
  const engines = nodes.map((node) => new Engine(node.dockerHost, tls))
  try {
    const answers = await Promise.allSettled(nodes.map((node, i) => answering(node, engines[i], deadline)))
    const silent = answers.flatMap((answer) => (answer.status === 'rejected' ? [(answer.reason as Error).message] : []))
    if (silent.length) throw unhealthy(name, silent)
    const infos = answers.map((answer) => (answer as PromiseFulfilledResult<EngineInfo>).value)
    const [leader] = nodes
    const outside = nodes.flatMap((node, i) => (infos[i].Swarm.LocalNodeState === 'active' ? [] : [`${node.name} is not in a swarm`]))
    if (outside.length) throw unhealthy(name, outside)
    if (!infos[0].Swarm.ControlAvailable) throw unhealthy(name, [`${leader.name}, its first manager, is not a manager`])
    const inspected = await engines[0].swarm()
    const label = inspected.Spec.Labels?.[CLUSTER_LABEL]
    if (label !== name) {
      throw new Error(
        `the hosts of cluster "${name}" are in a swarm that is ${label ? `cluster "${label}"` : 'not one setup-swarm made'}; give its own \`name\`, or have the hosts leave it (\`docker swarm leave --force\`)`
      )
    }
    const ids = infos.map((info) => info.Swarm.NodeID)
    const listed = await waitForReady(nodes, ids, engines[0], deadline).catch((error: Error) => {
      throw unhealthy(name, [error.message])
    })
    const strangers = [...listed.values()].filter((entry) => !ids.includes(entry.ID)).map((entry) => entry.Description.Hostname)
    const wrongRole = nodes.filter((node, i) => listed.get(ids[i])?.Spec.Role !== node.role)
    if (strangers.length || wrongRole.length) {
      throw new Error(
        `kept cluster "${name}" is not what the inputs \`managers\`, \`workers\` and \`nodes\` describe: ${[
          ...strangers.map((host) => `${host} is a member the inputs do not name`),
          ...wrongRole.map((node) => `${node.name} is not a ${node.role}`)
        ].join('; ')}; keep the inputs of the run that made it, or destroy it by name first`
      )
    }
    const { JoinTokens: tokens, ID: id } = inspected
    core.setSecret(tokens.Worker)
    core.setSecret(tokens.Manager)
    const managerAddress = joinAddress(leader)
    return {
      swarm: {
        members: nodes.map((node, i) => ({ ...node, id: ids[i], status: listed.get(ids[i])?.Status.State ?? 'unknown' })),
        managerIp: leader.ip,
        managerAddress,
        workerToken: tokens.Worker,
        managerToken: tokens.Manager
      },
      identity: { id, managerAddress }
    }
  } finally {
    for (const engine of engines) engine.close()
  }
}

async function answering(node: EngineNode, engine: Engine, deadline: Deadline): Promise<EngineInfo> {
  let info: EngineInfo | undefined
  // A kept node that does not answer within this is down, not slow: no need to wait out `timeout`.
  const bound = new Deadline(Math.min(ANSWER_MS, deadline.remainingMs()) / 1000, deadline.what)
  await pollUntil(bound, `the engine of ${node.name}`, async () => Boolean((info = await engine.info())), { intervalMs: 250 }).catch(
    (error: Error) => {
      throw new Error(`${node.name}'s engine at ${node.dockerHost} does not answer (${error.message.split(';')[0]})`, { cause: error })
    }
  )
  return info!
}

function unhealthy(name: string, problems: string[]): Error {
  return new Error(
    `kept cluster "${name}" is not healthy: ${problems.join('; ')}. Destroy it by name (setup-swarm/destroy) and run again to make it anew`
  )
}
