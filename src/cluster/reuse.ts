import * as core from '@actions/core'
import { existsSync } from 'node:fs'
import { rm } from 'node:fs/promises'
import type { Driver } from '../drivers/driver.js'
import type { EngineTls } from '../engine/api.js'
import type { EngineNode } from '../engine/node.js'
import { clientCertDir, makePrivateDir, prepareRunTls, readClientTls, type ClientCertDir } from '../engine/tls.js'
import type { Inputs } from '../inputs/index.js'
import { clusterPaths, type ClusterState } from '../state/cluster.js'
import { checkOwner, type ClusterOwner } from '../state/owner.js'
import { readClusterRecord, type ClusterRecord } from '../state/record.js'
import { attachSwarm } from '../swarm/attach.js'
import type { Swarm } from '../swarm/members.js'
import type { Deadline } from '../tools/wait.js'

// Clusters kept with `cleanup: false` and found again by name in a later run (a pull request's
// environment on its next push): the driver finds the nodes, attachSwarm checks them, and main
// goes on as after a create (same outputs and environment, images, the stack redeployed).

export interface KeptCluster {
  nodes: EngineNode[]
  /** The record a run on this runner left in the kept cluster's dir (a self-hosted runner's). */
  record?: ClusterRecord
}

/**
 * The kept cluster named `inputs.name`, or undefined when there is none. A dir left by a kept
 * cluster that is gone (a self-hosted runner rebooted, or it was destroyed from another runner)
 * is removed, with whatever its record names, so that the cluster is made anew.
 */
export async function findKeptCluster(inputs: Inputs, owner: ClusterOwner, driver: Driver, dir: string): Promise<KeptCluster | undefined> {
  if (!driver.findKept) return undefined
  const record = await readClusterRecord(dir)
  // Before anything else of it is read, used or removed.
  if (record) checkOwner(`kept cluster "${inputs.name}" (${dir})`, record.state.owner, owner)
  if (record && record.driver !== inputs.driver) {
    throw new Error(
      `input \`driver\`: kept cluster "${inputs.name}" was made with driver ${record.driver}, not ${inputs.driver}; destroy it by name first, or give another \`name\``
    )
  }
  const nodes = await driver.findKept({ inputs, owner, dir, record, tls: await lookupTls(inputs, dir) })
  if (nodes) return { nodes, record }
  if (existsSync(dir)) {
    core.warning(`kept cluster ${inputs.name} is gone; removing what is left of it (${dir}) and making it anew`)
    const left = record ? await driver.remove({ ...record.state, cleanup: true }).catch((error: Error) => [error.message]) : []
    if (left.length) core.warning(`could not remove everything of the old cluster ${inputs.name}:\n- ${left.join('\n- ')}`)
    await rm(dir, { recursive: true, force: true })
  }
  return undefined
}

/** What the engines are probed with: the `tls-*` inputs' client, or the one a run on this runner kept. */
async function lookupTls(inputs: Inputs, dir: string): Promise<EngineTls | undefined> {
  if (inputs.tls) {
    const { caCert, clientCert, clientKey } = inputs.tls
    return readClientTls({ dir: '', ca: caCert, cert: clientCert, key: clientKey }).catch((error: Error) => {
      throw new Error(`inputs \`tls-ca-cert\`, \`tls-client-cert\`, \`tls-client-key\`: cannot read them: ${error.message}`, { cause: error })
    })
  }
  const own = clientCertDir(clusterPaths(dir).clientCerts)
  return existsSync(own.key) ? readClientTls(own) : undefined
}

export interface Reused {
  state: ClusterState
  client: ClientCertDir
  swarm: Swarm
  record: ClusterRecord
}

/** Checks the kept cluster's health and attaches to it; nothing is created on it, and post removes nothing. */
export async function reuseCluster(inputs: Inputs, owner: ClusterOwner, kept: KeptCluster, dir: string, deadline: Deadline): Promise<Reused> {
  await makePrivateDir(dir)
  const paths = clusterPaths(dir)
  // The client certificate: from the tls-* inputs (a kept cluster on another runner), or the one kept here.
  const client = inputs.tls ? (await prepareRunTls(paths.clientCerts, paths.ca, inputs.tls)).client : clientCertDir(paths.clientCerts)
  const { swarm, identity } = await attachSwarm(inputs.name, kept.nodes, await readClientTls(client), deadline)
  // The driver's part of the old record stays: a destroy on this runner, and diagnostics, read it.
  const state: ClusterState = {
    ...kept.record?.state,
    name: inputs.name,
    driver: inputs.driver,
    cleanup: false,
    reused: true,
    dir,
    owner,
    swarm: identity
  }
  const record: ClusterRecord = { name: inputs.name, driver: inputs.driver, state, nodes: swarm.members, stack: inputs.stack?.name }
  return { state, client, swarm, record }
}
