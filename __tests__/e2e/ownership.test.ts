import { afterAll, describe, expect, it } from '@jest/globals'
import { chownSync, existsSync, mkdtempSync, readFileSync, statSync } from 'node:fs'
import path from 'node:path'
import { claimFile, localNames } from '../../src/drivers/local/names.js'
import { docker } from '../harness/docker.js'
import { Job, TEST_TMP, type StepResult } from '../harness/action.js'
import { leftovers, NOTHING_LEFT, removeTestClusters } from '../harness/host.js'
import { runnerUser } from '../harness/runner-user.js'

// Whose a `local` cluster is, through dist/ as the runner runs it: its host-wide names (bridge,
// namespaces, links, firewall tag, cgroup) are claimed before anything of it is recorded or written,
// and carry its repository; a kept cluster is used, destroyed and diagnosed only by its own
// repository's runs, as the runner user that made it.

afterAll(() => {
  removeTestClusters()
})

/** A runner's home that outlives its jobs (a self-hosted runner's): every job below keeps its clusters there. */
function runnerHome(): string {
  const home = mkdtempSync(path.join(TEST_TMP, 'home-'))
  chownSync(home, runnerUser()!.uid, runnerUser()!.gid)
  return home
}

const errorOf = (step: StepResult) => step.stdout.match(/::error::.*/)?.[0]
/** What a cluster left on the host, but the host-wide markers, which belong to whatever other cluster runs meanwhile. */
const leftBy = (name: string, repository: string, dir: string) => ({ ...leftovers(localNames(name, 0, repository).bridge, dir), hostChanges: [] })
/** A file's text and when it last changed, or undefined when it is not there. */
const snapshot = (file: string) => (existsSync(file) ? { text: readFileSync(file, 'utf8'), changed: statSync(file).mtimeMs } : undefined)
/** The swarm answers with its one node Ready: nothing of it was removed. */
const swarmStatus = (main: StepResult) => docker(main.env, ['node', 'ls', '--format', '{{.Status}}']).catch((error: Error) => error.message)

describe('two runs of one name started together', () => {
  it.each(Array.from({ length: 10 }, (_, pair) => pair))(
    'pair %i: one forms, the other fails naming the collision, and its post removes nothing of the first',
    async (pair) => {
      const name = `own-race-${pair}`
      const jobs = [new Job(), new Job()]
      const mains = await Promise.all(jobs.map((job) => job.run('main', { inputs: { name, workers: '0' } })))
      const codes = mains.map((main) => main.code).sort()
      const winner = mains.findIndex((main) => main.code === 0)
      const loser = 1 - winner
      const loserPost = winner >= 0 ? await jobs[loser].run('post', { state: mains[loser].state }) : undefined
      const statusAfterLoserPost = winner >= 0 ? await swarmStatus(mains[winner]) : 'no winner'
      const bridge = localNames(name, 0).bridge
      await Promise.all(jobs.map((job, i) => job.run('post', { state: mains[i].state })))

      expect(codes).toEqual([0, 1])
      // The loser recorded nothing: its post has nothing to remove, and the winner's swarm is whole.
      expect(statusAfterLoserPost).toBe('Ready')
      expect(loserPost?.stdout).toContain('setup-swarm created nothing in main: nothing to remove')
      expect(loserPost?.code).toBe(0)
      expect(errorOf(mains[loser])).toBe(
        `::error::a cluster named "${name}" already runs on this runner (bridge ${bridge}, claimed by repository owner/repo, runner user runner in ${claimFile(localNames(name, 0))}); give each setup-swarm step its own \`name\`, reuse a kept cluster with \`cleanup: false\`, or destroy it by name (setup-swarm/destroy, driver local)`
      )
      expect(leftBy(name, 'owner/repo', path.join(jobs[winner].runnerTemp, 'setup-swarm', name))).toEqual(NOTHING_LEFT)
    }
  )
})

describe('kept clusters of one name in two repositories, on one runner, as one user', () => {
  it('each has names and a directory of its own: the other repository neither destroys nor overwrites it', async () => {
    const name = 'own-pr-5'
    const home = runnerHome()
    const as = (repository: string) => ({ XDG_STATE_HOME: home, GITHUB_REPOSITORY: repository })
    const kept = { name, workers: '0', cleanup: 'false' }
    const keyOfA = path.join(Job.keptDir(name, home, 'owner/a'), 'tls', 'key.pem')

    const mainA = await new Job().run('main', { inputs: kept, env: as('owner/a') })
    const keyBefore = snapshot(keyOfA)
    // Repository B destroys its own `own-pr-5`, which does not exist, then makes one.
    const destroyB = await new Job().run('main', { action: 'destroy', inputs: { name, driver: 'local' }, env: as('owner/b') })
    const afterDestroyB = await swarmStatus(mainA)
    const mainB = await new Job().run('main', { inputs: kept, env: as('owner/b') })
    const keyAfter = snapshot(keyOfA)
    // A's next run finds its own cluster again.
    const againA = await new Job().run('main', { inputs: kept, env: as('owner/a') })
    const destroys = await Promise.all(
      ['owner/a', 'owner/b'].map((repository) => new Job().run('main', { action: 'destroy', inputs: { name, driver: 'local' }, env: as(repository) }))
    )

    expect(errorOf(mainA)).toBeUndefined()
    expect(afterDestroyB).toBe('Ready')
    expect(destroyB.code).toBe(0)
    expect(destroyB.summary).toContain('Nothing to remove.')
    expect(mainA.outputs['cert-path']).toBe(path.dirname(keyOfA))
    expect(errorOf(mainB)).toBeUndefined()
    expect(mainB.outputs['cert-path']).toBe(path.join(Job.keptDir(name, home, 'owner/b'), 'tls'))
    expect(mainB.outputs['docker-host']).not.toBe(mainA.outputs['docker-host'])
    expect(localNames(name, 0, 'owner/b').bridge).not.toBe(localNames(name, 0, 'owner/a').bridge)
    expect(keyBefore).toBeDefined()
    expect(keyAfter).toEqual(keyBefore)
    expect(errorOf(againA)).toBeUndefined()
    expect(againA.stdout).toContain(`reusing kept swarm ${name}: every node answers and is Ready`)
    expect(againA.outputs['docker-host']).toBe(mainA.outputs['docker-host'])
    for (const destroy of destroys) {
      expect(errorOf(destroy)).toBeUndefined()
      expect(destroy.stdout).toContain(`removed local cluster ${name}: 1 node(s)`)
    }
    for (const repository of ['owner/a', 'owner/b']) expect(leftBy(name, repository, Job.keptDir(name, home, repository))).toEqual(NOTHING_LEFT)
  })
})

describe('a kept cluster, to a run of its repository as another user', () => {
  it('is refused by main, destroy and diagnose, each naming whose it is, and nothing of it changes', async () => {
    const name = 'own-user'
    const home = runnerHome()
    const otherHome = mkdtempSync(path.join(TEST_TMP, 'root-home-'))
    const kept = { name, workers: '0', cleanup: 'false' }
    const key = path.join(Job.keptDir(name, home), 'tls', 'key.pem')
    const whose = 'belongs to repository owner/repo, runner user runner, not to this run (repository owner/repo, runner user root)'

    const main = await new Job().run('main', { inputs: kept, env: { XDG_STATE_HOME: home } })
    const keyBefore = snapshot(key)
    // Root, in the same kept home: the record in the cluster's dir says whose it is.
    const sameHome = await new Job().run('main', { inputs: kept, env: { XDG_STATE_HOME: home }, user: 'root' })
    const diagnose = await new Job().run('main', { action: 'diagnose', inputs: { name }, env: { XDG_STATE_HOME: home }, user: 'root' })
    // Root, with a kept home of its own: the claim on the cluster's names says whose it is.
    const ownHome = await new Job().run('main', { inputs: kept, env: { XDG_STATE_HOME: otherHome }, user: 'root' })
    const destroy = await new Job().run('main', {
      action: 'destroy',
      inputs: { name, driver: 'local' },
      env: { XDG_STATE_HOME: otherHome },
      user: 'root'
    })
    const status = await swarmStatus(main)
    const keyAfter = snapshot(key)
    const cleanup = await new Job().run('main', { action: 'destroy', inputs: { name, driver: 'local' }, env: { XDG_STATE_HOME: home } })

    expect(errorOf(main)).toBeUndefined()
    expect(sameHome.code).toBe(1)
    expect(errorOf(sameHome)).toContain(`::error::kept cluster "${name}" (${Job.keptDir(name, home)}) ${whose}`)
    expect(sameHome.outputs).toEqual({})
    expect(diagnose.stdout).toContain(`::warning::setup-swarm diagnose: cluster "${name}" (${Job.keptDir(name, home)}) ${whose}`)
    expect(diagnose.outputs['diagnostics-path']).toBeUndefined()
    expect(ownHome.code).toBe(1)
    expect(errorOf(ownHome)).toContain(`::error::the cluster named "${name}" on this runner (${claimFile(localNames(name, 0))}) ${whose}`)
    expect(existsSync(Job.keptDir(name, otherHome))).toBe(false)
    expect(destroy.code).toBe(1)
    expect(errorOf(destroy)).toContain(`::error::the cluster named "${name}" on this runner (${claimFile(localNames(name, 0))}) ${whose}`)
    expect(status).toBe('Ready')
    expect(keyBefore).toBeDefined()
    expect(keyAfter).toEqual(keyBefore)
    expect(errorOf(cleanup)).toBeUndefined()
    expect(leftBy(name, 'owner/repo', Job.keptDir(name, home))).toEqual(NOTHING_LEFT)
  })
})
