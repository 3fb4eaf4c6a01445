import type { Driver } from '../drivers/driver.js'
import type { RunnerImage } from '../engine/image-identity.js'
import type { EngineNode } from '../engine/node.js'
import { makePrivateDir, prepareRunTls, type ClientCertDir } from '../engine/tls.js'
import type { Inputs } from '../inputs/index.js'
import { clusterPaths, saveState, type ClusterState, type SwarmIdentity } from '../state/cluster.js'
import type { ClusterOwner } from '../state/owner.js'
import { writeClusterRecord, type ClusterRecord } from '../state/record.js'
import { SwarmFormation } from '../swarm/formation.js'
import type { Swarm } from '../swarm/members.js'
import type { Deadline } from '../tools/wait.js'
import { loadImages, type LoadReport } from '../workload/images.js'

// A new cluster: certificates, the driver's nodes, and the swarm forming while they are made.

/** Runs one phase of main, in its own log group and timing row. */
export type Phase = <T>(title: string, work: () => Promise<T>) => Promise<T>

export interface CreateOptions {
  inputs: Inputs
  /** This run's repository and user, recorded as the cluster's. */
  owner: ClusterOwner
  driver: Driver
  dir: string
  images: RunnerImage[]
  deadline: Deadline
  /** Bounds loading the images, which goes on while the swarm forms. */
  workDeadline: Deadline
  phase: Phase
  /** From the first state saved on, post has something to remove. */
  onStarted: () => void
  /** The cluster's record, as soon as its nodes exist: diagnostics need it after a later failure. */
  onRecord: (record: ClusterRecord) => void
  stackName?: string
}

export interface Created {
  state: ClusterState
  client: ClientCertDir
  swarm: Swarm
  /** The images still loading into the nodes, if any. */
  loading?: Promise<LoadReport>
}

export async function createCluster(options: CreateOptions): Promise<Created> {
  const { inputs, driver, phase, deadline } = options
  // From here on things exist: the state names each before it is created.
  const state: ClusterState = { name: inputs.name, driver: inputs.driver, cleanup: inputs.cleanup, dir: options.dir, owner: options.owner }
  // Names other runs could take too come first: nothing of the cluster is recorded or written before they are this run's.
  await driver.claim?.(inputs, state, () => saveState(state))
  saveState(state)
  options.onStarted()
  await makePrivateDir(state.dir)
  const paths = clusterPaths(state.dir)
  const tls = await phase('Creating certificates', () => prepareRunTls(paths.clientCerts, paths.ca, inputs.tls))
  const onInitialised = (identity: SwarmIdentity) => {
    state.swarm = identity
    saveState(state)
  }
  const managers = inputs.nodes.filter((node) => node.role === 'manager').length
  const formation = await SwarmFormation.start(inputs.nodes[0].name, {
    name: inputs.name,
    managers,
    initOpts: inputs.swarmInitOpts,
    client: tls.client,
    deadline,
    onInitialised
  })
  try {
    const nodeReady = (node: EngineNode, seen?: { engineAnswers: boolean }) => formation.add(node, seen?.engineAnswers)
    const context = { inputs, state, saveState: () => saveState(state), tls, deadline, images: options.images, nodeReady }
    if (driver.prepare) await phase(`Preparing the ${inputs.driver} driver`, () => driver.prepare!(context))
    const nodes = await phase(`Creating ${managers} manager(s) and ${inputs.nodes.length - managers} worker(s) with driver ${inputs.driver}`, () =>
      driver.create(inputs.nodes, context)
    )
    const record: ClusterRecord = { name: inputs.name, driver: inputs.driver, state, nodes, stack: options.stackName }
    options.onRecord(record)
    await writeClusterRecord(record)
    // The images go in while the swarm forms: loading needs the engines, not the swarm.
    const loading = options.images.length ? loadImages(nodes, options.images, tls.client, options.workDeadline) : undefined
    loading?.catch(() => undefined) // awaited by main, or settled before a formation failure is reported
    const swarm = await phase('Forming the swarm', () => formation.finish(nodes)).catch(async (error: Error) => {
      await loading?.catch(() => undefined)
      throw error
    })
    record.nodes = swarm.members
    await writeClusterRecord(record)
    return { state, client: tls.client, swarm, loading }
  } finally {
    await formation.close()
  }
}
