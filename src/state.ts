import * as core from '@actions/core'
import path from 'node:path'
import type { LocalState } from './drivers/local.js'
import type { MachineState } from './drivers/machine.js'

/**
 * What main created, saved as soon as it is about to exist, so that post can remove
 * it after a failure or a cancel. Post reads only this: never the inputs.
 */
export interface ClusterState {
  name: string
  driver: string
  cleanup: boolean
  /** RUNNER_TEMP/setup-swarm/<name>: certificates, node data, machine storage. */
  dir: string
  /** The swarm's join address, recorded before any node joins: post leaves only this swarm. */
  managerAddress?: string
  local?: LocalState
  machine?: MachineState
}

/** Where a cluster keeps its files, all under its dir, which post deletes. */
export function clusterPaths(dir: string) {
  return {
    /** The Docker client's ca.pem, cert.pem, key.pem: DOCKER_CERT_PATH. */
    clientCerts: path.join(dir, 'tls'),
    /** The run's CA key, apart from what later steps see. */
    ca: path.join(dir, 'ca'),
    /** docker-machine's MACHINE_STORAGE_PATH. */
    machineStorage: path.join(dir, 'machine'),
    /** One directory per local node: its data-root, certificates and log. */
    nodes: path.join(dir, 'nodes'),
    resolvConf: path.join(dir, 'resolv.conf')
  }
}

const KEY = 'cluster'

export function saveState(state: ClusterState): void {
  core.saveState(KEY, JSON.stringify(state))
}

export function loadState(): ClusterState | undefined {
  const text = core.getState(KEY)
  return text ? (JSON.parse(text) as ClusterState) : undefined
}
