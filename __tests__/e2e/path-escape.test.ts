import { describe, expect, it } from '@jest/globals'
import { chownSync, lstatSync, mkdirSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { fileTree } from '../fixtures/file-tree.js'
import { Job } from '../harness/action.js'
import { runnerUser } from '../harness/runner-user.js'

// dist/'s destroy, diagnose and main as the runner runs them, given inputs that would lead outside a
// cluster's own directory: each fails (diagnose warns) naming the input, and nothing outside is
// touched. No engine is needed: every case stops before one would be.

/** A tree the runner user could delete: a kept home with another cluster in it, and a victim beside it. */
function plantedTree(job: Job) {
  const home = path.join(job.dir, 'state')
  const files = [path.join(home, 'setup-swarm', 'other', 'tls', 'key.pem'), path.join(job.dir, 'victim', 'data', 'cluster.json')]
  for (const file of files) {
    mkdirSync(path.dirname(file), { recursive: true })
    writeFileSync(file, '{}')
  }
  const runner = runnerUser()
  // Owned by the runner user, who runs the steps: what they could delete, were they led to it.
  const chownAll = (at: string) => {
    const stat = lstatSync(at)
    if (!runner || stat.isSymbolicLink()) return
    chownSync(at, runner.uid, runner.gid)
    if (stat.isDirectory()) for (const entry of readdirSync(at)) chownAll(path.join(at, entry))
  }
  return { home, snapshot: () => tree(job.dir), chownAll: () => chownAll(job.dir) }
}

/** The job's files, but for RUNNER_TEMP and the command files of its steps, which steps write. */
const tree = (dir: string) => fileTree(dir, (relative) => relative === 'temp' || /^(output|state|env|path|summary)-\d+$/.test(relative))

const NAMES = (job: Job) => ['..', '.', '/', path.join(job.dir, 'victim'), '../../victim', '../../victim/data']

describe('names that would leave the cluster’s own directory', () => {
  it.each(['local', 'none'])('destroy (driver %s) removes nothing and fails naming the input', async (driver) => {
    const job = new Job()
    const planted = plantedTree(job)
    planted.chownAll()
    const before = planted.snapshot()
    for (const name of NAMES(job)) {
      const step = await job.run('main', { action: 'destroy', inputs: { name, driver }, env: { XDG_STATE_HOME: planted.home } })
      expect(step.code).toBe(1)
      expect(step.stdout).toContain(`::error::input \`name\`: "${name}" is not a cluster name; use letters, digits, '-' and '.'`)
    }
    expect(planted.snapshot()).toEqual(before)
  })

  it('diagnose reads no record and runs nothing outside the clusters’ roots, and warns naming the input', async () => {
    const job = new Job()
    const planted = plantedTree(job)
    planted.chownAll()
    const before = planted.snapshot()
    for (const name of NAMES(job)) {
      const step = await job.run('main', { action: 'diagnose', inputs: { name }, env: { XDG_STATE_HOME: planted.home } })
      expect(step.code).toBe(0)
      expect(step.stdout).toContain(`::warning::setup-swarm diagnose: input \`name\`: "${name}" is not a cluster name`)
      expect(step.outputs['diagnostics-path']).toBeUndefined()
    }
    expect(planted.snapshot()).toEqual(before)
  })

  it('destroy refuses a kept root that is a symbolic link, naming it', async () => {
    const job = new Job()
    const planted = plantedTree(job)
    const linkedHome = path.join(job.dir, 'linked-home')
    mkdirSync(linkedHome)
    symlinkSync(path.join(job.dir, 'victim'), path.join(linkedHome, 'setup-swarm'))
    planted.chownAll()
    const before = planted.snapshot()
    const step = await job.run('main', { action: 'destroy', inputs: { name: 'data', driver: 'local' }, env: { XDG_STATE_HOME: linkedHome } })
    expect(step.code).toBe(1)
    expect(step.stdout).toContain(`::error::${path.join(linkedHome, 'setup-swarm')} is a symbolic link (to ${path.join(job.dir, 'victim')})`)
    expect(planted.snapshot()).toEqual(before)
  })

  it('main refuses a machine-version that is a path before it installs anything', async () => {
    const job = new Job()
    const step = await job.run('main', {
      inputs: { name: 'escape-version', driver: 'none', nodes: '- role: manager\n  opts: --url tcp://192.0.2.1:2376', 'machine-version': '../../..' }
    })
    expect(step.code).toBe(1)
    expect(step.stdout).toContain('::error::input `machine-version`: "../../.." is not a docker-machine release such as v0.16.2-gitlab.59 or v0.16.2')
    expect(readdirSync(job.toolCache)).toEqual([])
  })
})
