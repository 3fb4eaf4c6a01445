import * as core from '@actions/core'
import { lstatSync, readlinkSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { checkClusterName } from '../inputs/names.js'
import { runRepository, type ClusterOwner } from './owner.js'

/**
 * What main created, saved as soon as it is about to exist, so that post can remove it after a
 * failure or a cancel. Post reads only this, never the inputs. The driver's part is the driver's
 * own type: core code passes it along without looking inside.
 */
export interface ClusterState<DriverState = unknown> {
  name: string
  driver: string
  cleanup: boolean
  /** Whose cluster it is, recorded when main starts making it; checked before anything of a kept one is used or removed. */
  owner?: ClusterOwner
  /** Main attached to a cluster kept by an earlier run instead of creating one (see cluster/reuse.ts). */
  reused?: boolean
  /** clusterDir(name, kept): certificates and whatever the driver keeps there. */
  dir: string
  /** The swarm, recorded as soon as it is initialised, before any node joins: hosts that outlive post leave this swarm and no other. */
  swarm?: SwarmIdentity
  driverState?: DriverState
}

/**
 * Where a cluster keeps its files. A removed cluster's go in RUNNER_TEMP, and post deletes them. A
 * kept one's (`cleanup: false`) must outlive the job, and the runner empties RUNNER_TEMP at the
 * start and end of every job: they go in keptRoot(), under this run's repository (GITHUB_REPOSITORY,
 * `owner/name`), so that two repositories' kept clusters of one name, on a runner that serves both
 * as one user, never share a directory.
 *
 * Whatever is later deleted recursively (destroy, post, a gone kept cluster) is this directory: it
 * is always a child of the root, for any caller, whatever its input said (a name such as `..`,
 * `.`, `a/b` or `/etc` is refused), and neither the root, nor the repository's directories under
 * it, nor the child may be a symbolic link.
 */
export function clusterDir(name: string, kept = false): string {
  checkClusterName(name)
  const root = kept ? keptRoot() : path.join(process.env.RUNNER_TEMP || os.tmpdir(), 'setup-swarm')
  // A kept cluster's dir is <root>/<owner>/<repository>/<name>.
  const levels = [...(kept ? runRepository().split('/') : []), name]
  let dir = root
  refuseLink(root)
  for (const level of levels) refuseLink((dir = path.join(dir, level)))
  return dir
}

/**
 * The action makes both the clusters' root and each cluster's dir itself, so a symbolic link there
 * was put by someone else. It is refused rather than followed or resolved with realpath: a kept
 * root linked to `/` would make the cluster named `etc` live in /etc, which destroy then deletes.
 * The directories above the root (XDG_STATE_HOME, HOME, /var/lib, RUNNER_TEMP) are the runner's,
 * and are taken as they are, links included (macOS's /tmp is one).
 */
function refuseLink(dir: string): void {
  if (!lstatSync(dir, { throwIfNoEntry: false })?.isSymbolicLink()) return
  throw new Error(
    `${dir} is a symbolic link (to ${readlinkSync(dir)}): setup-swarm keeps a cluster's files only in a directory of its own, never through a link; remove the link`
  )
}

/**
 * Where kept clusters live: `$XDG_STATE_HOME/setup-swarm` when it is set; for root
 * `/var/lib/setup-swarm` (state that outlives a job, as the FHS places a service's); for any other
 * user (a runner user with passwordless sudo) `~/.local/state/setup-swarm`, which that user owns
 * without sudo, so the client key in it stays theirs (0600) for the docker CLI of later steps, and
 * which a self-hosted runner keeps across jobs. A local cluster's engines (root) write their data there too.
 */
export function keptRoot(env: NodeJS.ProcessEnv = process.env, uid = process.getuid?.() ?? -1): string {
  if (env.XDG_STATE_HOME) return path.join(env.XDG_STATE_HOME, 'setup-swarm')
  if (uid === 0) return '/var/lib/setup-swarm'
  return path.join(env.HOME || os.homedir(), '.local', 'state', 'setup-swarm')
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
