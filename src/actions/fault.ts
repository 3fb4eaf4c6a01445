import * as core from '@actions/core'
import { driverFor } from '../drivers/index.js'
import type { Driver, NodeFaultState } from '../drivers/driver.js'
import type { EngineTls } from '../engine/api.js'
import type { EngineNode } from '../engine/node.js'
import { clientCertDir, readClientTls, type ClientCertDir } from '../engine/tls.js'
import { parseFaultInputs, type FaultInputs } from '../inputs/fault.js'
import { checkClusterName } from '../inputs/names.js'
import { clusterPaths } from '../state/cluster.js'
import { currentOwner } from '../state/owner.js'
import { findCluster, writeClusterRecord, type ClusterRecord } from '../state/record.js'
import { listSwarmNodes, nodesOutput, setAvailability, waitForEffect } from '../swarm/fault-effect.js'
import { planFault } from '../swarm/fault-plan.js'
import { Deadline } from '../tools/wait.js'

// The \`fault\` action: stops, starts, pauses, resumes, partitions, heals, drains or activates nodes
// of a cluster on this runner (by \`name\`, or the only one), and waits until the swarm shows it.
// What a driver does to its nodes is the driver's (injectFault); post and destroy undo it all.

/** Runs the fault action once its cluster is found. */
async function runFault(record: ClusterRecord, driver: Driver, inputs: FaultInputs, client: ClientCertDir, tls: EngineTls): Promise<void> {
  const states = async () => (driver.faultState ? driver.faultState(record.state, record.nodes) : new Map<string, NodeFaultState>())
  const before = await states()
  const plan = planFault(record, inputs, driver, before)
  const deadline = new Deadline(inputs.timeoutSeconds, `${inputs.timeoutSeconds} s for the fault and its effect`)
  const names = plan.nodes.map((node) => node.name).join(', ') || 'no node'
  const started = Date.now()
  core.info(
    `${plan.fault === 'start' ? 'starting' : `${plan.fault}:`} ${names}${plan.from.length ? ` from ${plan.from.map((node) => node.name).join(', ')}` : ''}`
  )
  if (plan.fault === 'drain' || plan.fault === 'activate') {
    await setAvailability(record, plan.nodes, plan.fault === 'drain' ? 'drain' : 'active', tls, before)
  } else if (plan.nodes.length) {
    const moved = await driver.injectFault!(record.state, { fault: plan.fault, nodes: plan.nodes, from: plan.from, client, deadline })
    if (moved?.length) await recordAddresses(record, moved)
  }
  core.info(`${plan.fault} of ${names} done in ${((Date.now() - started) / 1000).toFixed(3)} s`)
  if (inputs.wait) {
    await waitForEffect(record, plan, tls, states, deadline)
    core.info(`the swarm shows it after ${((Date.now() - started) / 1000).toFixed(2)} s`)
  }
  const after = await states()
  core.setOutput('nodes', JSON.stringify(nodesOutput(record, await listSwarmNodes(record, tls, after), after)))
}

/** Nodes that came back at another address: later steps (and this one's wait) reach them there. */
async function recordAddresses(record: ClusterRecord, moved: EngineNode[]): Promise<void> {
  for (const node of moved)
    Object.assign(
      record.nodes.find((entry) => entry.name === node.name)!,
      node
    )
  await writeClusterRecord(record)
  core.warning(
    `${moved.map((node) => `${node.name} is now at ${node.ip}`).join(', ')}: the setup-swarm step's outputs and DOCKER_HOST still give the old address; use this step's \`nodes\` output`
  )
}

try {
  const inputs = parseFaultInputs((name) => core.getInput(name))
  const record = await findCluster(inputs.name && checkClusterName(inputs.name), currentOwner(), 'fault')
  const client = clientCertDir(clusterPaths(record.state.dir).clientCerts)
  await runFault(record, await driverFor(record.driver), inputs, client, await readClientTls(client))
} catch (error) {
  core.setFailed((error as Error).message)
}
