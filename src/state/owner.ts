import os from 'node:os'
import { checkRepository } from '../inputs/names.js'

// A cluster belongs to the repository whose run made it, and to the runner user who ran it. Both are
// recorded when it is created (in its state and record; a `local` cluster's also in the claim on its
// host-wide names), and a run of another repository, or as another user, may not reuse, destroy,
// diagnose or remove it: on a self-hosted runner serving several repositories, `pr-5` is a name
// every one of them uses.

export interface ClusterOwner {
  /** owner/name: GITHUB_REPOSITORY of the run that made the cluster. */
  repository: string
  /** The user who ran the action (the runner user; root on a runner that runs as root). */
  user: string
}

/** This run's repository, GITHUB_REPOSITORY, which GitHub Actions always sets. */
export function runRepository(env: NodeJS.ProcessEnv = process.env): string {
  const repository = env.GITHUB_REPOSITORY?.trim()
  if (!repository) {
    throw new Error(
      'GITHUB_REPOSITORY is not set: setup-swarm records which repository each cluster belongs to; run it in GitHub Actions, or set GITHUB_REPOSITORY=owner/name'
    )
  }
  return checkRepository(repository, 'GITHUB_REPOSITORY')
}

/** Who this run is: its repository and the user running the action. */
export function currentOwner(env: NodeJS.ProcessEnv = process.env): ClusterOwner {
  return { repository: runRepository(env), user: userName() }
}

function userName(): string {
  try {
    return os.userInfo().username
  } catch {
    // A uid with no passwd entry (a container's): the number is the user.
    return `uid ${process.getuid?.() ?? 'unknown'}`
  }
}

export const describeOwner = (owner: ClusterOwner): string => `repository ${owner.repository}, runner user ${owner.user}`

export const sameOwner = (a: ClusterOwner, b: ClusterOwner): boolean => a.repository === b.repository && a.user === b.user

/**
 * Throws unless the cluster `what` names was recorded as `current`'s: nothing of it is read, written
 * or removed for a run of another repository or user. A cluster that records no owner was made by an
 * older setup-swarm, or by something else, and is no run's.
 */
export function checkOwner(what: string, recorded: ClusterOwner | undefined, current: ClusterOwner): void {
  if (recorded && sameOwner(recorded, current)) return
  if (!recorded?.repository || !recorded.user) {
    throw new Error(
      `${what} records no repository it belongs to: an older setup-swarm, or something else, made it; setup-swarm leaves it alone: remove it by hand, or give this cluster another \`name\``
    )
  }
  throw new Error(
    `${what} belongs to ${describeOwner(recorded)}, not to this run (${describeOwner(current)}): a cluster is used, destroyed and diagnosed only by its own repository's runs, as the runner user that made it; give this cluster another \`name\`, or run this in ${recorded.repository} as ${recorded.user}`
  )
}
