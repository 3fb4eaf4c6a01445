import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals'
import { chownSync, existsSync, mkdirSync, renameSync, mkdtempSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { localDriver } from '../../src/drivers/local/index.js'
import type { LocalState } from '../../src/drivers/local/names.js'
import type { EngineNode } from '../../src/engine/node.js'
import { cacheVersion } from '../../src/drivers/machine/installer.js'
import { Engine } from '../../src/engine/api.js'
import type { ClusterState } from '../../src/state/cluster.js'
import { readClientTls, type RunTls } from '../../src/engine/tls.js'
import { startReleaseServer } from '../fixtures/release-server.js'
import { docker, waitFor } from '../harness/docker.js'
import { Job, linesShowing, TEST_TMP, type StepOptions, type StepResult } from '../harness/action.js'
import { removeTestClusters } from '../harness/host.js'
import { MACHINE_VERSION, noneNodes, STAND_IN, standInInputs, startTestHosts } from '../harness/hosts.js'
import { runnerUser } from '../harness/runner-user.js'

// docker-machine drivers end to end with a stand-in docker-machine (driver `none`), served as a
// release over HTTP; the hosts behind it are real engines, and the swarm they form is real.

let hosts: EngineNode[]
let hostTls: RunTls
let hostState: ClusterState<LocalState>
let release: Awaited<ReturnType<typeof startReleaseServer>>
const toolCache = mkdtempSync(path.join(TEST_TMP, 'tool-cache-'))
// Shared by the jobs of this file, as a runner's tool cache is by its jobs.
chownSync(toolCache, runnerUser()!.uid, runnerUser()!.gid)

/** Where the installer caches the release of `releaseUrl` (keyed by the version and the download URL). */
const cachedAt = (releaseUrl: string, cache = toolCache): string =>
  path.join(cache, 'docker-machine', cacheVersion(MACHINE_VERSION, `${releaseUrl}/${MACHINE_VERSION}/docker-machine-Linux-x86_64`), 'x64')

beforeAll(async () => {
  // Three plain engines (no swarm), as `none` hosts: TLS from a CA the test owns.
  ;({ hosts, tls: hostTls, state: hostState } = await startTestHosts('dm-hosts'))
  release = await startReleaseServer({ version: MACHINE_VERSION, binaryPath: STAND_IN, checksumStyle: 'gitlab' })
})

afterAll(async () => {
  await release?.close()
  if (hostState) await localDriver.remove(hostState)
  removeTestClusters()
})

interface MachineCall {
  argv: string[]
  env: Record<string, string | null>
  pid: number
  startedAt: number
  /** null while the call runs, and for a call that was killed. */
  endedAt: number | null
}

function machineInputs(name: string, extra: Record<string, string> = {}): Record<string, string> {
  return {
    driver: 'none',
    name,
    ...standInInputs(release.url, hostTls),
    nodes: noneNodes(hosts),
    ...extra
  }
}

function stepIn(job: Job, log: string, env: Record<string, string> = {}) {
  return (step: 'main' | 'post', options: Omit<StepOptions, 'env'>) =>
    job.run(step, { ...options, env: { RUNNER_TOOL_CACHE: toolCache, FAKE_MACHINE_LOG: log, ...env } })
}

const twoHosts = () =>
  hosts
    .slice(0, 2)
    .map((host) => `- role: ${host.role}\n  opts: --url ${host.dockerHost}`)
    .join('\n')

/** Hosts a test left in its swarm (post could not take them out): out again, asserting nothing. */
async function leaveAnySwarm(): Promise<void> {
  const env = { DOCKER_TLS_VERIFY: '1', DOCKER_CERT_PATH: hostTls.client.dir }
  await Promise.all(hosts.map((host) => docker({ ...env, DOCKER_HOST: host.dockerHost }, ['swarm', 'leave', '--force']).catch(() => undefined)))
}

const calls = (log: string): MachineCall[] =>
  existsSync(log)
    ? readFileSync(log, 'utf8')
        .trim()
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line) as MachineCall)
    : []

async function swarmStateOf(host: EngineNode): Promise<string> {
  const engine = new Engine(host.dockerHost, await readClientTls(hostTls.client))
  try {
    return (await engine.info()).Swarm.LocalNodeState
  } finally {
    engine.close()
  }
}

describe('driver none: install, create in parallel, form the swarm, remove', () => {
  const job = new Job()
  const log = path.join(job.dir, 'machine.log')
  const run = stepIn(job, log)
  let main: StepResult

  beforeAll(async () => {
    main = await run('main', { inputs: machineInputs('dm') })
  })

  it('installs docker-machine from the release, verified against release.sha256, into the tool cache and PATH', () => {
    expect(main.stdout.match(/::error::.*/)?.[0]).toBeUndefined()
    expect(main.code).toBe(0)
    expect(release.requests).toEqual([`/${MACHINE_VERSION}/docker-machine-Linux-x86_64`, `/${MACHINE_VERSION}/release.sha256`])
    const cached = cachedAt(release.url)
    expect(main.paths).toEqual([cached])
    expect(readFileSync(path.join(cached, 'docker-machine'))).toEqual(readFileSync(STAND_IN))
    expect(main.stdout).toContain(`SHA-256 ${release.sha256}`)
  })

  it('creates one machine per node with global flags first, create flags before the name, private storage, no crash reports', () => {
    const storage = path.join(job.runnerTemp, 'setup-swarm', 'dm', 'machine')
    const creates = calls(log).filter((call) => call.argv.includes('create'))
    expect(creates.map((call) => call.argv.at(-1)).sort()).toEqual(['dm-manager-1', 'dm-worker-1', 'dm-worker-2'])
    for (const call of creates) {
      const name = call.argv.at(-1)!
      const host = hosts[['dm-manager-1', 'dm-worker-1', 'dm-worker-2'].indexOf(name)]
      expect(call.argv).toEqual([
        ...['--tls-ca-cert', hostTls.files.caCert, '--tls-ca-key', hostTls.files.caKey],
        ...['--tls-client-cert', hostTls.files.clientCert, '--tls-client-key', hostTls.files.clientKey],
        ...['create', '-d', 'none', '--url', host.dockerHost, name]
      ])
    }
    for (const call of calls(log)) expect(call.env).toMatchObject({ MACHINE_STORAGE_PATH: storage, MACHINE_BUGSNAG_API_TOKEN: 'no-report' })
    expect(main.outputs['storage-path']).toBe(storage)
    expect(main.env.MACHINE_STORAGE_PATH).toBe(storage)
    expect(statSync(storage).mode & 0o777).toBe(0o700)
  })

  it('forms a Ready swarm of the hosts and gives the same outputs as local', async () => {
    const nodes = JSON.parse(main.outputs.nodes) as Array<{ name: string; role: string; ip: string; dockerHost: string; id: string }>
    expect(nodes.map(({ name, role, ip, dockerHost }) => ({ name, role, ip, dockerHost }))).toEqual(
      hosts.map((host, i) => ({ name: ['dm-manager-1', 'dm-worker-1', 'dm-worker-2'][i], role: host.role, ip: host.ip, dockerHost: host.dockerHost }))
    )
    expect(main.outputs['manager-address']).toBe(`${hosts[0].ip}:2377`)
    expect(main.env.DOCKER_HOST).toBe(hosts[0].dockerHost)
    const listed = await docker(main.env, ['node', 'ls', '--format', '{{.ID}} {{.Status}}'])
    expect(listed.split('\n').sort()).toEqual(nodes.map((node) => `${node.id} Ready`).sort())
    for (const token of [main.outputs['worker-token'], main.outputs['manager-token']]) {
      expect(linesShowing(token, main.stdout + main.stderr)).toEqual([])
    }
  })

  it('post: the hosts leave the swarm, every machine is removed, the storage path is deleted', async () => {
    const post = await run('post', { state: main.state })
    expect(post.stdout).not.toContain('::warning::')
    expect(post.code).toBe(0)
    const removals = calls(log).filter((call) => call.argv.includes('rm'))
    expect(removals.map((call) => call.argv.slice(-3)).sort()).toEqual(
      ['dm-manager-1', 'dm-worker-1', 'dm-worker-2'].map((name) => ['rm', '-y', name])
    )
    expect(await Promise.all(hosts.map(swarmStateOf))).toEqual(['inactive', 'inactive', 'inactive'])
    expect(readdirSync(job.runnerTemp)).toEqual([])
  })

  it('a second install on the same runner downloads no binary: it checks the cached one against release.sha256', async () => {
    const before = release.requests.length
    const again = await run('main', { inputs: machineInputs('dm-again', { nodes: `- role: manager\n  opts: --url ${hosts[0].dockerHost}` }) })
    expect(again.code).toBe(0)
    expect(again.stdout).toContain(`found in the tool cache (${cachedAt(release.url)}), SHA-256 ${release.sha256}`)
    expect(release.requests.slice(before)).toEqual([`/${MACHINE_VERSION}/release.sha256`])
    expect((await run('post', { state: again.state })).code).toBe(0)
  })

  it('a docker-machine planted in the tool cache is refused, naming its path, and never runs', async () => {
    const job = new Job()
    const log = path.join(job.dir, 'machine.log')
    const planted = path.join(cachedAt(release.url, job.toolCache), 'docker-machine')
    const ran = path.join(job.dir, 'planted-ran')
    mkdirSync(path.dirname(planted), { recursive: true })
    writeFileSync(planted, `#!/bin/sh\ntouch ${ran}\n`, { mode: 0o755 })
    writeFileSync(`${path.dirname(planted)}.complete`, '')
    chownSync(job.toolCache, runnerUser()!.uid, runnerUser()!.gid)
    for (const pinned of [release.sha256, '']) {
      const main = await job.run('main', {
        inputs: machineInputs('dm-planted', { nodes: `- role: manager\n  opts: --url ${hosts[0].dockerHost}`, 'machine-sha256': pinned }),
        env: { RUNNER_TOOL_CACHE: job.toolCache, FAKE_MACHINE_LOG: log }
      })
      expect(main.code).toBe(1)
      expect(main.stdout).toContain(`::error::the cached docker-machine ${planted} has SHA-256 `)
      expect(main.stdout).toContain(`remove ${path.dirname(planted)} from the tool cache`)
      expect((await job.run('post', { state: main.state, env: { RUNNER_TOOL_CACHE: job.toolCache } })).code).toBe(0)
    }
    expect(existsSync(ran)).toBe(false)
    expect(calls(log)).toEqual([])
  })
})

describe('docker-machine failures', () => {
  it('a create that fails: the action fails with the driver message, post removes every machine and the failed record', async () => {
    const job = new Job()
    const log = path.join(job.dir, 'machine.log')
    const run = stepIn(job, log, { FAKE_MACHINE_FAIL_CREATE: 'dmfail-worker-2' })
    const main = await run('main', { inputs: machineInputs('dmfail', { retries: '0' }) })
    expect(main.code).toBe(1)
    expect(main.stdout).toMatch(/::error::docker-machine create dmfail-worker-2 failed: .*injected failure for dmfail-worker-2/)
    const post = await run('post', { state: main.state })
    expect(post.code).toBe(0)
    const removed = calls(log)
      .filter((call) => call.argv.slice(-3, -1).join(' ') === 'rm -y')
      .map((call) => call.argv.at(-1))
    expect(new Set(removed)).toEqual(new Set(['dmfail-manager-1', 'dmfail-worker-1', 'dmfail-worker-2']))
    expect(readdirSync(job.runnerTemp)).toEqual([])
  })

  it('a transient failure is retried after removing the half-created record', async () => {
    const job = new Job()
    const log = path.join(job.dir, 'machine.log')
    const once = path.join(job.dir, 'once')
    mkdirSync(once)
    chownSync(once, runnerUser()!.uid, runnerUser()!.gid)
    const run = stepIn(job, log, { FAKE_MACHINE_FAIL_CREATE: 'dmretry-worker-1', FAKE_MACHINE_FAIL_ONCE_DIR: once })
    const main = await run('main', { inputs: machineInputs('dmretry') })
    expect(main.code).toBe(0)
    expect(main.stdout).toContain('::warning::docker-machine create dmretry-worker-1 failed, retrying')
    const subcommand = (call: MachineCall) => call.argv.find((word) => ['create', 'rm', 'inspect'].includes(word))
    expect(
      calls(log)
        .filter((call) => call.argv.at(-1) === 'dmretry-worker-1')
        .map(subcommand)
    ).toEqual(['create', 'rm', 'create', 'inspect'])
    expect((await run('post', { state: main.state })).code).toBe(0)
  })

  it('a machine the provider will not remove: post says so, naming it, after trying twice without -f', async () => {
    const job = new Job()
    const log = path.join(job.dir, 'machine.log')
    const run = stepIn(job, log, { FAKE_MACHINE_FAIL_REMOVE: 'dmstuck-worker-1' })
    const main = await run('main', {
      inputs: machineInputs('dmstuck', {
        nodes: hosts
          .slice(0, 2)
          .map((host) => `- role: ${host.role}\n  opts: --url ${host.dockerHost}`)
          .join('\n')
      })
    })
    expect(main.code).toBe(0)
    const post = await run('post', { state: main.state })
    expect(post.code).toBe(0)
    expect(post.stdout).toMatch(
      /::warning::setup-swarm could not remove everything; remove these by hand:%0A- machine dmstuck-worker-1: .*injected removal failure for dmstuck-worker-1; it may still exist at the provider: remove it there by hand/
    )
    expect(post.summary).toContain('<li>machine dmstuck-worker-1: ')
    const removals = calls(log)
      .filter((call) => call.argv.includes('rm') && call.argv.at(-1) === 'dmstuck-worker-1')
      .map((call) => call.argv.slice(-3).join(' '))
    expect(removals).toEqual(['rm -y dmstuck-worker-1', 'rm -y dmstuck-worker-1', '-f -y dmstuck-worker-1'])
    expect(readdirSync(job.runnerTemp)).toEqual([])
  })

  it('a failed create whose half-made machine will not go: no retry, and post tries again', async () => {
    const job = new Job()
    const log = path.join(job.dir, 'machine.log')
    const run = stepIn(job, log, { FAKE_MACHINE_FAIL_CREATE: 'dmhalf-worker-1', FAKE_MACHINE_FAIL_REMOVE: 'dmhalf-worker-1' })
    const main = await run('main', {
      inputs: machineInputs('dmhalf', {
        nodes: hosts
          .slice(0, 2)
          .map((host) => `- role: ${host.role}\n  opts: --url ${host.dockerHost}`)
          .join('\n'),
        retries: '3'
      })
    })
    expect(main.code).toBe(1)
    expect(main.stdout).toMatch(/::error::docker-machine create dmhalf-worker-1 failed: .*injected failure for dmhalf-worker-1/)
    expect(calls(log).filter((call) => call.argv.includes('create') && call.argv.at(-1) === 'dmhalf-worker-1')).toHaveLength(1)
    const post = await run('post', { state: main.state })
    expect(post.stdout).toMatch(/::warning::.*machine dmhalf-worker-1: .*remove it there by hand/)
  })

  it('a host already in another swarm: the action says which and what to do', async () => {
    const job = new Job()
    const hostEnv = { DOCKER_TLS_VERIFY: '1', DOCKER_CERT_PATH: hostTls.client.dir, DOCKER_HOST: hosts[1].dockerHost }
    await docker(hostEnv, ['swarm', 'init', '--advertise-addr', hosts[1].ip])
    try {
      const main = await stepIn(job, path.join(job.dir, 'machine.log'))('main', {
        inputs: machineInputs('dmtaken', {
          nodes: hosts
            .slice(0, 2)
            .map((host) => `- role: ${host.role}\n  opts: --url ${host.dockerHost}`)
            .join('\n')
        })
      })
      expect(main.code).toBe(1)
      expect(main.stdout).toContain(
        '::error::dmtaken-worker-1 already belongs to a swarm: run `docker swarm leave --force` on it, or use a fresh host'
      )
      expect((await stepIn(job, path.join(job.dir, 'machine.log'))('post', { state: main.state })).code).toBe(0)
      expect(await swarmStateOf(hosts[0])).toBe('inactive')
      // Post took the host out of no swarm but this cluster's.
      expect(await swarmStateOf(hosts[1])).toBe('active')
    } finally {
      await docker(hostEnv, ['swarm', 'leave', '--force'])
    }
  })

  it.each([
    [
      'a checksum mismatch',
      { checksumStyle: 'gitlab' as const, corruptChecksum: true },
      MACHINE_VERSION,
      /::error::the SHA-256 of http:\/\/127\.0\.0\.1:\d+\/v0\.16\.2-gitlab\.59\/docker-machine-Linux-x86_64 is [0-9a-f]{64}, expected [0-9a-f]{64}/
    ],
    [
      'a missing asset',
      { checksumStyle: 'gitlab' as const },
      'v0.16.2-gitlab.999',
      /::error::cannot download docker-machine from http:\/\/127\.0\.0\.1:\d+\/v0\.16\.2-gitlab\.999\/docker-machine-Linux-x86_64/
    ],
    [
      'no checksum at all',
      { checksumStyle: 'none' as const },
      MACHINE_VERSION,
      /::error::no checksum published for docker-machine v0\.16\.2-gitlab\.59 .*; pass `machine-sha256`/
    ]
  ])('%s fails naming the URL and creates no machine', async (_what, serverOptions, version, message) => {
    const server = await startReleaseServer({ version: MACHINE_VERSION, binaryPath: STAND_IN, ...serverOptions })
    try {
      const job = new Job()
      const log = path.join(job.dir, 'machine.log')
      const main = await job.run('main', {
        inputs: { ...machineInputs('dmbad'), 'machine-url': server.url, 'machine-version': version },
        env: { RUNNER_TOOL_CACHE: job.toolCache, FAKE_MACHINE_LOG: log }
      })
      expect(main.code).toBe(1)
      expect(main.stdout).toMatch(message)
      expect(calls(log)).toEqual([])
      expect((await job.run('post', { state: main.state, env: { RUNNER_TOOL_CACHE: job.toolCache } })).code).toBe(0)
      expect(readdirSync(job.runnerTemp)).toEqual([])
    } finally {
      await server.close()
    }
  })

  it('upstream releases (sha256sum.txt) and a pinned machine-sha256 install too', async () => {
    const server = await startReleaseServer({ version: 'v0.16.2', binaryPath: STAND_IN, checksumStyle: 'upstream' })
    try {
      for (const pinned of ['', server.sha256]) {
        const job = new Job()
        const main = await job.run('main', {
          inputs: {
            ...machineInputs('dmup', { nodes: `- role: manager\n  opts: --url ${hosts[0].dockerHost}` }),
            'machine-url': server.url,
            'machine-version': 'v0.16.2',
            'machine-sha256': pinned
          },
          env: { RUNNER_TOOL_CACHE: job.toolCache }
        })
        expect(main.code).toBe(0)
        expect((await job.run('post', { state: main.state, env: { RUNNER_TOOL_CACHE: job.toolCache } })).code).toBe(0)
      }
      expect(server.requests).toEqual([
        '/v0.16.2/docker-machine-Linux-x86_64',
        '/v0.16.2/release.sha256',
        '/v0.16.2/sha256sum.txt',
        '/v0.16.2/docker-machine-Linux-x86_64'
      ])
    } finally {
      await server.close()
    }
  })
})

describe('docker-machine creates, cancels and removals', () => {
  afterEach(leaveAnySwarm)

  const creates = (log: string) => calls(log).filter((call) => call.argv.includes('create'))
  const overlapping = (a: MachineCall, b: MachineCall) => a.startedAt < b.endedAt! && b.startedAt < a.endedAt!

  it('creates every machine at once by default, and one at a time with concurrency 1', async () => {
    for (const [concurrency, expectOverlap] of [
      ['', true],
      ['1', false]
    ] as const) {
      const job = new Job()
      const log = path.join(job.dir, 'machine.log')
      const run = stepIn(job, log, { FAKE_MACHINE_CREATE_DELAY_MS: '1500' })
      const main = await run('main', { inputs: machineInputs(`dmpar${concurrency}`, { concurrency }) })
      expect(main.code).toBe(0)
      const made = creates(log)
      expect(made).toHaveLength(3)
      const pairs = [
        [0, 1],
        [0, 2],
        [1, 2]
      ].map(([a, b]) => overlapping(made[a], made[b]))
      expect(pairs).toEqual(expectOverlap ? [true, true, true] : [false, false, false])
      expect((await run('post', { state: main.state })).code).toBe(0)
    }
  })

  it('a cancel during the creates ends docker-machine, and post removes every machine recorded', async () => {
    const job = new Job()
    const log = path.join(job.dir, 'machine.log')
    const run = stepIn(job, log, { FAKE_MACHINE_CREATE_DELAY_MS: '60000' })
    const main = await run('main', { inputs: machineInputs('dmcancel'), interrupt: { when: /creating dmcancel-worker-2/, afterMs: 1500 } })
    expect(main.code).toBe(1)
    expect(main.stdout).toContain('::warning::setup-swarm was cancelled (SIGINT); the post step removes whatever was created')
    const started = creates(log)
    expect(started.map((call) => call.argv.at(-1)).sort()).toEqual(['dmcancel-manager-1', 'dmcancel-worker-1', 'dmcancel-worker-2'])
    // Killed with main: none of them finished, and none still runs.
    expect(started.map((call) => call.endedAt)).toEqual([null, null, null])
    const ended = await waitFor(
      'the killed creates to end',
      () => Promise.resolve(started.every((call) => !isRunning(call.pid)) || undefined),
      10_000
    )
    expect(ended).toBe(true)
    const post = await run('post', { state: main.state })
    expect(post.code).toBe(0)
    expect(post.stdout).not.toContain('::warning::')
    const removed = calls(log)
      .filter((call) => call.argv.includes('rm'))
      .map((call) => call.argv.at(-1))
    expect(new Set(removed)).toEqual(new Set(['dmcancel-manager-1', 'dmcancel-worker-1', 'dmcancel-worker-2']))
    expect(readdirSync(job.runnerTemp)).toEqual([])
  })

  it('post when docker-machine is gone from the runner: a warning names every machine to remove by hand', async () => {
    const job = new Job()
    const run = stepIn(job, path.join(job.dir, 'machine.log'))
    const main = await run('main', { inputs: machineInputs('dmgone', { nodes: twoHosts() }) })
    expect(main.code).toBe(0)
    const binary = (JSON.parse(main.state.cluster) as { driverState: { binary: string } }).driverState.binary
    const moved = `${binary}.moved`
    renameSync(binary, moved)
    try {
      const post = await run('post', { state: main.state })
      expect(post.code).toBe(0)
      expect(post.stdout).toMatch(
        /::warning::setup-swarm could not remove everything; remove these by hand:%0A- machine dmgone-manager-1: docker-machine is gone from .*, so post could not remove it; remove it at the provider by hand%0A- machine dmgone-worker-1: /
      )
    } finally {
      renameSync(moved, binary)
    }
  })

  it('`docker swarm init` failing (the first manager already in a swarm) names the host and what to do', async () => {
    const job = new Job()
    const hostEnv = { DOCKER_TLS_VERIFY: '1', DOCKER_CERT_PATH: hostTls.client.dir, DOCKER_HOST: hosts[0].dockerHost }
    await docker(hostEnv, ['swarm', 'init', '--advertise-addr', hosts[0].ip])
    const run = stepIn(job, path.join(job.dir, 'machine.log'))
    const main = await run('main', { inputs: machineInputs('dminit', { nodes: twoHosts() }) })
    expect(main.code).toBe(1)
    expect(main.stdout).toMatch(
      /::error::docker swarm init on dminit-manager-1 failed: .*already part of a swarm.*; dminit-manager-1 already belongs to a swarm: run `docker swarm leave --force` on it, or use a fresh host/
    )
    expect((await run('post', { state: main.state })).code).toBe(0)
    // Post took the host out of no swarm but its own (which it never formed).
    expect(await swarmStateOf(hosts[0])).toBe('active')
  })
})

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch {
    return false
  }
}
