import * as core from '@actions/core'
import { Engine, type EngineInfo } from '../../engine/api.js'
import type { EngineNode } from '../../engine/node.js'
import { CLUSTER_LABEL, joinAddress } from '../../swarm/members.js'
import type { DestroyRequest, KeptLookup, Removal } from '../driver.js'
import { hostEndpoint } from './host-endpoints.js'

// Hosts the user owns (`none`, `generic`) outlive a kept cluster: a later run finds its swarm on
// them, and a destroy by name has them leave it, with no docker-machine and no state, only the
// hosts (main's `nodes`) and the client certificate.

/** The hosts, when the first one is in a swarm (attachSwarm then checks it is this cluster's); else undefined. */
export async function findKeptHosts({ inputs, tls }: KeptLookup): Promise<EngineNode[] | undefined> {
  const nodes = inputs.nodes.map((node) => hostEndpoint(inputs.driver, node, inputs.machine.driverOpts))
  if (!tls) return undefined
  const engine = new Engine(nodes[0].dockerHost, tls)
  try {
    // A host that does not answer yet (a `generic` host before docker-machine installed its engine) holds no kept swarm.
    const info = await engine.info().catch((error: Error) => (core.debug(`no kept swarm on ${nodes[0].name}: ${error.message}`), undefined))
    return info?.Swarm.LocalNodeState === 'active' ? nodes : undefined
  } finally {
    engine.close()
  }
}

interface HostView {
  node: EngineNode
  engine: Engine
  info?: EngineInfo
  /** Managers: the cluster label of the swarm they manage. */
  label?: string
}

/**
 * Every host that is in this cluster's swarm leaves it (workers first, then managers, forced: the
 * swarm goes with its last manager). A manager is this cluster's when its swarm carries the
 * cluster's label; a worker when its managers are this cluster's managers.
 */
export async function destroyKeptHosts(request: DestroyRequest): Promise<Removal> {
  if (!request.tls) throw new Error('inputs `tls-ca-cert`, `tls-client-cert`, `tls-client-key`: needed to reach the hosts')
  const nodes = request.nodes.map((node) => hostEndpoint(request.driver, node, request.driverOpts))
  const tls = request.tls
  const views: HostView[] = nodes.map((node) => ({ node, engine: new Engine(node.dockerHost, tls) }))
  const removed: string[] = []
  const leftovers: string[] = []
  try {
    await Promise.all(
      views.map(async (view) => {
        view.info = await view.engine.info().catch((error: Error) => {
          leftovers.push(`${view.node.name} (${view.node.dockerHost}) does not answer (${error.message}); on it, run \`docker swarm leave --force\``)
          return undefined
        })
        if (view.info?.Swarm.LocalNodeState === 'active' && view.info.Swarm.ControlAvailable) {
          view.label = (await view.engine.swarm()).Spec.Labels?.[CLUSTER_LABEL] ?? ''
        }
      })
    )
    const managers = views.filter((view) => view.label !== undefined)
    const ours = managers.filter((view) => view.label === request.name)
    // Its managers gone already (an earlier destroy halfway): workers of the managers the inputs name, but those of another cluster.
    const managerAddresses = (ours.length ? ours : views.filter((view) => view.node.role === 'manager' && !managers.includes(view))).map((view) =>
      joinAddress(view.node)
    )
    const workers = views.filter(
      (view) =>
        view.label === undefined &&
        view.info?.Swarm.LocalNodeState === 'active' &&
        view.info.Swarm.RemoteManagers?.some((manager) => managerAddresses.includes(manager.Addr))
    )
    const leave = async (view: HostView) => {
      try {
        await view.engine.leave(30_000)
        removed.push(`${view.node.name} (${view.node.ip}) left the swarm of cluster ${request.name}`)
      } catch (error) {
        leftovers.push(
          `${view.node.name} (${view.node.dockerHost}) could not leave the swarm: ${(error as Error).message}; on it, run \`docker swarm leave --force\``
        )
      }
    }
    await Promise.all(workers.map(leave))
    await Promise.all(ours.map(leave))
    for (const view of views.filter((view) => view.info && !workers.includes(view) && !ours.includes(view))) {
      core.info(`${view.node.name} is not in the swarm of cluster ${request.name}: left as it is`)
    }
    return { removed, leftovers }
  } finally {
    for (const view of views) view.engine.close()
  }
}
