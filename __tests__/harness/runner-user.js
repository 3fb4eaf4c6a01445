// The user the end-to-end tests run the action as: like GitHub's runner, not root, with
// passwordless sudo. Plain JS: the global setup (not transformed) uses it too.
import { spawnSync } from 'node:child_process'
import { writeFileSync } from 'node:fs'

export const RUNNER_USER = 'runner'
const SUDOERS = '/etc/sudoers.d/setup-swarm-tests'

/** A user's uid and gid, or undefined when there is no such user. */
export function userIds(name) {
  const id = (flag) => spawnSync('id', [flag, name], { encoding: 'utf8' })
  const [uid, gid] = [id('-u'), id('-g')]
  if (uid.status !== 0 || gid.status !== 0) return undefined
  return { uid: Number(uid.stdout), gid: Number(gid.stdout) }
}

/** Creates a user with a home and bash, unless it exists (another test file may make it at the same moment). */
export function ensureUser(name) {
  if (!userIds(name)) {
    const made = spawnSync('useradd', ['--create-home', '--shell', '/bin/bash', name], { encoding: 'utf8' })
    if (made.status !== 0 && !userIds(name)) throw new Error(`useradd ${name} failed: ${made.stderr}`)
  }
  return userIds(name)
}

/** The runner user's uid and gid, or undefined when there is no such user. */
let known

export function runnerUser() {
  if (!known) known = userIds(RUNNER_USER)
  return known
}

/** Creates the runner user with passwordless sudo, unless it exists (as on a GitHub runner). */
export function ensureRunnerUser() {
  ensureUser(RUNNER_USER)
  if (spawnSync('sudo', ['-n', '-u', RUNNER_USER, 'sudo', '-n', 'true']).status !== 0) {
    writeFileSync(SUDOERS, `${RUNNER_USER} ALL=(ALL) NOPASSWD:ALL\n`, { mode: 0o440 })
  }
  return runnerUser()
}
