import * as core from '@actions/core'
import os from 'node:os'
import path from 'node:path'

/**
 * What main created, saved as soon as it is about to exist, so that post can remove it after a
 * failure or a cancel. Post reads only this, never the inputs. The driver's part is the driver's
 * own type: core code passes it along without looking inside.
 */
export interface ClusterState<DriverState = unknown> {
  name: string
  driver: string
  cleanup: boolean
  /** RUNNER_TEMP/setup-swarm/<name>: certificates and whatever the driver keeps there. */
  dir: string
  /** The swarm, recorded as soon as it is initialised, before any node joins: hosts that outlive post leave this swarm and no other. */
  swarm?: SwarmIdentity
  driverState?: DriverState
}

/** Where a cluster keeps its files; post deletes it. */
export function clusterDir(name: string): string {
  return path.join(process.env.RUNNER_TEMP || os.tmpdir(), 'setup-swarm', name)
}

/** The files every driver's cluster has under its dir; a driver adds its own beside them. */
export function clusterPaths(dir: string) {
  return {
    /** The Docker client's ca.pem, cert.pem, key.pem: DOCKER_CERT_PATH. */
    clientCerts: path.join(dir, 'tls'),
    /** The run's CA key, apart from what later steps see. */
    ca: path.join(dir, 'ca')
  }
}

export interface SwarmIdentity {
  /** The swarm's cluster ID, which its managers report. */
  id: string
  /** Where its nodes joined, which its workers report. */
  managerAddress: string
}

const CLUSTER_KEY = 'cluster'
/** Set by main as it starts: the one bundle runs post when the runner hands it back. */
const POST_KEY = 'isPost'

export function saveState(state: ClusterState): void {
  core.saveState(CLUSTER_KEY, JSON.stringify(state))
}

export function loadState(): ClusterState | undefined {
  const text = core.getState(CLUSTER_KEY)
  return text ? (JSON.parse(text) as ClusterState) : undefined
}

export function markMainStarted(): void {
  core.saveState(POST_KEY, 'true')
}

export function isPost(): boolean {
  return core.getState(POST_KEY) === 'true'
}
