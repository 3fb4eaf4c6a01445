import { afterAll, describe, expect, it } from '@jest/globals'
import { spawnSync } from 'node:child_process'
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { parse as parseYaml } from 'yaml'
import { ROOT } from '../harness/action.js'
import type { WorkflowJob } from '../harness/workflow.js'

// ci.yml's jobs on the local driver, on a matrix of runners, and its runner check
// (.github/actions/runner-check), run as the runner runs a node action: the step puts the runner's
// facts in the job summary, the post step fails on a cluster's cgroup left. The cgroup root is a
// stand-in (CGROUP_ROOT), and `docker` one on PATH.

const ACTION = path.join(ROOT, '.github', 'actions', 'runner-check', 'index.js')
const tmp = mkdtempSync(path.join(os.tmpdir(), 'runner-check-'))
afterAll(() => rmSync(tmp, { recursive: true, force: true }))

/** A cgroup2 mount of this host, if it has one (v2 and hybrid hosts do). */
const CGROUP2 = readFileSync('/proc/self/mountinfo', 'utf8')
  .split('\n')
  .find((line) => line.includes(' - cgroup2 '))
  ?.split(' ')[4]

/** A `docker` whose `info` shows the given storage driver and driver status. */
function fakeDocker(info: string): string {
  const bin = mkdtempSync(path.join(tmp, 'bin-'))
  writeFileSync(
    path.join(bin, 'docker'),
    `#!/bin/sh\ncase "$1" in\n  info) echo '${info}' ;;\n  version) echo 'Server: Docker Engine - Community 28.0.4' ;;\n  *) exit 1 ;;\nesac\n`
  )
  chmodSync(path.join(bin, 'docker'), 0o755)
  return bin
}

function runCheck(phase: 'main' | 'post', env: Record<string, string>) {
  const dir = mkdtempSync(path.join(tmp, 'step-'))
  const files = { GITHUB_STATE: path.join(dir, 'state'), GITHUB_STEP_SUMMARY: path.join(dir, 'summary') }
  for (const file of Object.values(files)) writeFileSync(file, '')
  const result = spawnSync(process.execPath, [ACTION], {
    env: { PATH: process.env.PATH, ...files, ...(phase === 'post' ? { STATE_post: 'true' } : {}), ...env },
    encoding: 'utf8'
  })
  return {
    code: result.status,
    log: `${result.stdout}${result.stderr}`,
    state: readFileSync(files.GITHUB_STATE, 'utf8'),
    summary: readFileSync(files.GITHUB_STEP_SUMMARY, 'utf8')
  }
}

/** A stand-in cgroup root with these directories, and `links` (name: target) beside them. */
function cgroupRoot(dirs: string[], links: Record<string, string> = {}): string {
  const root = mkdtempSync(path.join(tmp, 'cgroup-'))
  for (const dir of dirs) mkdirSync(path.join(root, dir), { recursive: true })
  for (const [name, target] of Object.entries(links)) symlinkSync(target, path.join(root, name))
  return root
}

describe('the runner check’s step', () => {
  const overlay2 = fakeDocker('overlay2 [["Backing Filesystem","extfs"],["Supports d_type","true"]]')

  it('puts the host, the cgroup hierarchy, the image store and `docker version` in the job summary, and saves state for its post step', () => {
    const run = runCheck('main', { PATH: `${overlay2}:${process.env.PATH}`, CGROUP_ROOT: cgroupRoot(['memory', 'systemd']) })
    expect(run.code).toBe(0)
    expect(run.state).toBe('post=true\n')
    expect(run.summary).toMatch(/^### The runner\n\n\| \| \|\n\| --- \| --- \|\n\| host \| .+, \w+, kernel \S+ \|\n/)
    expect(run.summary).toContain('| cgroup hierarchy | v1 |\n| image store | graph driver overlay2 |\n')
    expect(run.summary).toContain('```\nServer: Docker Engine - Community 28.0.4\n```\n')
  })

  it('names containerd’s image store with its snapshotter', () => {
    const containerd = fakeDocker('overlayfs [["driver-type","io.containerd.snapshotter.v1"]]')
    const run = runCheck('main', { PATH: `${containerd}:${process.env.PATH}`, CGROUP_ROOT: cgroupRoot([]) })
    expect(run.summary).toContain('| image store | containerd (snapshotter overlayfs) |\n')
  })

  // A link to this host's cgroup2 mount stands for a cgroup2 mount: statfs follows it.
  const withCgroup2 = CGROUP2 ? it : it.skip
  withCgroup2('tells v2 (cgroup2 at the root) from hybrid (cgroup2 at unified/ beside the v1 controllers)', () => {
    const v2 = runCheck('main', { PATH: `${overlay2}:${process.env.PATH}`, CGROUP_ROOT: CGROUP2! })
    expect(v2.summary).toContain(`| cgroup hierarchy | v2 (cgroup2 at ${CGROUP2}) |\n`)
    const root = cgroupRoot(['memory'], { unified: CGROUP2! })
    const hybrid = runCheck('main', { PATH: `${overlay2}:${process.env.PATH}`, CGROUP_ROOT: root })
    expect(hybrid.summary).toContain(`| cgroup hierarchy | hybrid (v1 controllers, cgroup2 at ${root}/unified) |\n`)
  })
})

describe('the runner check’s post step', () => {
  it('fails naming every cluster’s cgroup left, at any depth of any hierarchy', () => {
    const left = [`memory/setup-swarm-swm0a1b2c3d`, `unified/outer/setup-swarm-swm0a1b2c3d`]
    const root = cgroupRoot([...left.map((dir) => `${dir}/${'a1'.repeat(32)}`), 'memory/docker/setup', 'cpu,cpuacct/system.slice'])
    const run = runCheck('post', { CGROUP_ROOT: root })
    expect(run.code).toBe(1)
    const named = /::error title=cgroups left::a cluster left cgroups:(.*)/.exec(run.log)![1].split('%0A').filter(Boolean)
    expect(named.sort()).toEqual(left.map((dir) => `${root}/${dir}`).sort())
  })

  it('passes when no cluster left a cgroup', () => {
    const run = runCheck('post', { CGROUP_ROOT: cgroupRoot(['memory/docker', 'cpu,cpuacct/system.slice/setup.service']) })
    expect(run).toMatchObject({ code: 0, log: expect.stringContaining('no cgroup of a cluster is left') as unknown as string })
  })
})

describe('ci.yml', () => {
  type CiJob = WorkflowJob & { strategy?: { matrix: { runner: string[] } }; 'runs-on'?: string; uses?: string; with?: Record<string, unknown> }
  const ci = parseYaml(readFileSync(path.join(ROOT, '.github', 'workflows', 'ci.yml'), 'utf8')) as { jobs: Record<string, CiJob> }
  // Every job that forms a local swarm on its runner with the action or the swarm-test workflow
  // (`test` runs the test command, made for Debian, and stays on one runner).
  const LOCAL_JOBS = ['local', 'integration', 'local-leaves-nothing', 'swarm-test', 'failover']
  const formsLocalSwarm = (job: CiJob) => (job.steps ?? []).some((step) => step.uses === './' && (step.with?.driver ?? 'local') === 'local')

  it('runs every job on the local driver on Ubuntu 24.04 and 22.04 (x86) and 24.04 on Arm', () => {
    expect(Object.keys(ci.jobs).filter((name) => formsLocalSwarm(ci.jobs[name]))).toEqual(expect.arrayContaining(['local', 'integration']))
    for (const name of Object.keys(ci.jobs).filter((name) => formsLocalSwarm(ci.jobs[name]))) expect(LOCAL_JOBS).toContain(name)
    for (const name of LOCAL_JOBS) {
      const job = ci.jobs[name]
      expect({ name, runners: job.strategy?.matrix.runner }).toEqual({ name, runners: ['ubuntu-24.04', 'ubuntu-22.04', 'ubuntu-24.04-arm'] })
      expect({ name, runsOn: job.uses ? job.with?.['runs-on'] : job['runs-on'] }).toEqual({ name, runsOn: '${{ matrix.runner }}' })
    }
  })

  it('reports the runner and, after post, checks for cgroups left: the check comes before the swarm, so its post runs after the swarm’s', () => {
    for (const name of LOCAL_JOBS.filter((job) => !ci.jobs[job].uses)) {
      const uses = ci.jobs[name].steps.map((step) => step.uses ?? '')
      const check = uses.indexOf('./.github/actions/runner-check')
      expect({ name, check }).toEqual({ name, check: 1 })
      expect({ name, before: uses.indexOf('./') === -1 || uses.indexOf('./') > check }).toEqual({ name, before: true })
    }
  })
})
