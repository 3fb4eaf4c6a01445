import * as core from '@actions/core'
import { randomBytes } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { checkOwner, describeOwner, type ClusterOwner } from '../../state/owner.js'
import { privileged } from './host-tools.js'
import { claimFile, type LocalState } from './names.js'

// A local cluster's bridge, namespaces, links, firewall tag and cgroup are host-wide names. A run
// claims them before it creates or writes anything of the cluster, and records them in its state
// only once it holds them: a file in /run that only one run can create, holding whose claim it is.
// Of two runs of one name started together, one claims the names and the other fails naming who
// holds them, with nothing recorded that its post could remove. The claim goes last, once nothing
// else of the cluster is left.

export interface LocalClaim extends ClusterOwner {
  /** Tells this claim from a later one of the same owner (the cluster destroyed and made anew meanwhile). */
  id: string
}

/** Who holds the cluster's names, or undefined when nobody does. */
export function readClaim(local: LocalState): LocalClaim | undefined {
  const file = claimFile(local)
  let text: string
  try {
    text = readFileSync(file, 'utf8')
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined
    throw error
  }
  const claim = parseClaim(text)
  if (!claim) {
    throw new Error(`${file} is no claim setup-swarm wrote: something else wrote it; delete it once nothing of bridge ${local.bridge} is left`)
  }
  return claim
}

function parseClaim(text: string): LocalClaim | undefined {
  try {
    const claim = JSON.parse(text) as Partial<LocalClaim>
    const complete = [claim.repository, claim.user, claim.id].every((value) => typeof value === 'string' && value !== '')
    return complete ? (claim as LocalClaim) : undefined
  } catch {
    return undefined
  }
}

/**
 * Claims the names of cluster `name` for `owner` and returns the claim's id. Throws, naming who holds
 * them, when another run did first.
 */
export async function claimNames(name: string, local: LocalState, owner: ClusterOwner): Promise<string> {
  const file = claimFile(local)
  const claim: LocalClaim = { ...owner, id: randomBytes(8).toString('hex') }
  // Written beside it, then hard-linked to its name: link(2) fails when the name exists, so of two runs
  // at the same moment one fails, and the claim appears with its content whole, never empty.
  // Readable by all: the runner user reads whose it is without sudo.
  const script = 'tmp=$(mktemp "$1.XXXXXX") || exit 1; chmod 644 "$tmp" && printf %s "$2" > "$tmp" && ln "$tmp" "$1"; ok=$?; rm -f "$tmp"; exit $ok'
  const result = await privileged('sh', ['-c', script, 'sh', file, JSON.stringify(claim)], undefined, true)
  if (result.code === 0) return claim.id
  const holder = readClaim(local)
  if (!holder) throw new Error(`could not claim the names of cluster "${name}" (${file}): ${result.stderr.trim()}`)
  checkOwner(`the cluster named "${name}" on this runner (${file})`, holder, owner)
  throw new Error(
    `a cluster named "${name}" already runs on this runner (bridge ${local.bridge}, claimed by ${describeOwner(holder)} in ${file}); give each setup-swarm step its own \`name\`, reuse a kept cluster with \`cleanup: false\`, or destroy it by name (setup-swarm/destroy, driver local)`
  )
}

/**
 * The names as post and destroy may remove them: only while they carry `local.claim`. Otherwise they
 * are nobody's any more, or another run's since (the cluster was destroyed by name and made anew).
 */
export function heldNames(local: LocalState | undefined): LocalState | undefined {
  if (!local?.claim) return undefined
  const holder = readClaim(local)
  if (holder?.id === local.claim) return local
  if (holder) core.info(`bridge ${local.bridge} and its namespaces were claimed by another run since (${describeOwner(holder)}): left as they are`)
  return undefined
}

/** Gives the names up: the last thing removed, once nothing else of the cluster is left. */
export async function releaseClaim(local: LocalState): Promise<void> {
  await privileged('rm', ['-f', '--', claimFile(local)])
}
