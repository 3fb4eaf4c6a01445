import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals'
import { execFileSync, spawn, spawnSync } from 'node:child_process'
import { chmodSync, existsSync, mkdtempSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { findExecutable } from '../../src/tools/command.js'
import { localNames } from '../../src/drivers/local/names.js'
import { nodeResolvConf } from '../../src/drivers/local/resolv-conf.js'
import { askOverOverlay, docker, importTestImage, runningTasks, TEST_IMAGE, waitFor } from '../harness/docker.js'
import { Job, linesShowing, TEST_TMP, type StepResult } from '../harness/action.js'
import { leftovers, NOTHING_LEFT, readIpForward, removeTestClusters } from '../harness/host.js'
import { httpGet } from '../harness/http.js'
import { startOutsideHost } from '../harness/outside-host.js'
import { CURRENT_ENGINE } from '../harness/runner-engine.js'

// The local driver end to end: dist/ run as the runner runs it, real engines, real swarm.

const bridgeOf = (name: string) => localNames(name, 0).bridge

const clusterDir = (job: Job, name: string) => path.join(job.runnerTemp, 'setup-swarm', name)
/** PATH for a step whose dockerd runs `script` instead of starting for one node: the engine binary itself misbehaves. */
function dockerdFailingFor(node: string, script: string): { PATH: string } {
  const bin = mkdtempSync(path.join(TEST_TMP, 'bin-'))
  chmodSync(bin, 0o755)
  const realDockerd = findExecutable('dockerd')
  writeFileSync(
    path.join(bin, 'dockerd'),
    `#!/bin/sh\ncase " $* " in *" --containerd-namespace ${node} "*) ${script};; esac\nexec ${realDockerd} "$@"\n`,
    { mode: 0o755 }
  )
  return { PATH: `${bin}:${process.env.PATH}` }
}

/**
 * The action's own logic, the same whatever the engine: tested on the current engine only, which
 * keeps the test command's run on Debian 12's Docker 20.10 short.
 */
const onCurrentEngine = CURRENT_ENGINE ? describe : describe.skip

/** Each node's network namespace, from main's state (the driver's own record). */
const nodeNetns = (main: StepResult): string[] => (JSON.parse(main.state.cluster) as { driverState: { netns: string[] } }).driverState.netns

type NodeOutput = { name: string; role: string; ip: string; advertiseIp: string; dockerHost: string; id: string }

async function post(job: Job, main: StepResult, user?: 'root'): Promise<StepResult> {
  const result = await job.run('post', { state: main.state, user })
  expect(result.stdout).not.toContain('::warning::')
  expect(result.code).toBe(0)
  return result
}

afterAll(() => {
  removeTestClusters()
})

describe('a swarm of 1 manager and 2 workers', () => {
  const job = new Job()
  const name = 'e2e-basic'
  let main: StepResult
  let nodes: NodeOutput[]

  let forwardPolicy = 'ACCEPT'

  beforeAll(async () => {
    // As Docker leaves a GitHub runner: bridged traffic between nodes meets a FORWARD policy of DROP.
    forwardPolicy = /-P FORWARD (\w+)/.exec(execFileSync('iptables', ['-S', 'FORWARD'], { encoding: 'utf8' }))![1]
    execFileSync('iptables', ['-P', 'FORWARD', 'DROP'])
    main = await job.run('main', { inputs: { name, managers: '1', workers: '2' } })
    nodes = main.outputs.nodes ? (JSON.parse(main.outputs.nodes) as NodeOutput[]) : []
    if (main.code === 0)
      await importTestImage(
        main.env,
        nodes.map((node) => node.dockerHost)
      )
  })
  afterAll(async () => {
    await job.run('post', { state: main.state })
    execFileSync('iptables', ['-P', 'FORWARD', forwardPolicy])
  })

  it('forms while the FORWARD policy is DROP and bridged traffic goes through iptables', () => {
    expect(execFileSync('iptables', ['-S', 'FORWARD'], { encoding: 'utf8' })).toContain('-P FORWARD DROP')
    expect(readFileSync('/proc/sys/net/bridge/bridge-nf-call-iptables', 'utf8').trim()).toBe('1')
    expect(main.code).toBe(0)
  })

  it('gives the bridge an address of its own, which the workers attached after the manager cannot change', () => {
    const link = (name: string, file: string) => readFileSync(`/sys/class/net/${name}/${file}`, 'utf8').trim()
    const bridge = bridgeOf(name)
    const ports = readdirSync(`/sys/class/net/${bridge}/brif`)
    expect(ports).toHaveLength(3)
    // 3 is NET_ADDR_SET: the kernel then no longer gives the bridge the lowest address of its links.
    expect(link(bridge, 'addr_assign_type')).toBe('3')
    expect(ports.map((port) => link(port, 'address'))).not.toContain(link(bridge, 'address'))
  })

  it('succeeds and sets every output', () => {
    expect(main.stderr).toBe('')
    expect(main.code).toBe(0)
    const ip = nodes[0]?.ip
    expect(main.outputs).toMatchObject({
      name,
      'manager-ip': ip,
      'manager-address': `${ip}:2377`,
      'docker-host': `tcp://${ip}:2376`,
      'cert-path': path.join(clusterDir(job, name), 'tls')
    })
    expect(nodes.map(({ name: node, role }) => [node, role])).toEqual([
      [`${name}-manager-1`, 'manager'],
      [`${name}-worker-1`, 'worker'],
      [`${name}-worker-2`, 'worker']
    ])
    for (const node of nodes) {
      expect(node.ip).toMatch(/^\d+\.\d+\.\d+\.\d+$/)
      expect(node.dockerHost).toBe(`tcp://${node.ip}:2376`)
      // One flat network: the runner reaches each node where the other nodes do.
      expect(node.advertiseIp).toBe(node.ip)
      expect(node.id).toMatch(/^[a-z0-9]{25}$/)
    }
    expect(new Set(nodes.map((node) => node.ip)).size).toBe(3)
    expect(main.outputs['worker-token']).toMatch(/^SWMTKN-1-/)
    expect(main.outputs['manager-token']).toMatch(/^SWMTKN-1-/)
    expect(main.outputs['worker-token']).not.toBe(main.outputs['manager-token'])
  })

  it('registers the join tokens as secrets and never prints them', () => {
    for (const token of [main.outputs['worker-token'], main.outputs['manager-token']]) {
      expect(main.stdout).toContain(`::add-mask::${token}`)
      expect(main.stdout.indexOf(`::add-mask::${token}`)).toBeLessThan(main.stdout.indexOf('swarm initialised on '))
      expect(linesShowing(token, main.stdout + main.stderr)).toEqual([])
    }
  })

  it('keeps the keys private: 0600 files in 0700 directories, the CA key apart from the client files', () => {
    const certPath = main.outputs['cert-path']
    expect(statSync(certPath).mode & 0o777).toBe(0o700)
    expect(readdirSync(certPath).sort()).toEqual(['ca.pem', 'cert.pem', 'key.pem'])
    for (const file of readdirSync(certPath)) expect(statSync(path.join(certPath, file)).mode & 0o777).toBe(0o600)
    // The CA key stays out of DOCKER_CERT_PATH, which later steps see.
    const caDir = path.join(clusterDir(job, name), 'ca')
    expect(statSync(caDir).mode & 0o777).toBe(0o700)
    expect(statSync(path.join(caDir, 'ca-key.pem')).mode & 0o777).toBe(0o600)
  })

  it('exports a Docker environment that reaches a Ready swarm with the right roles and hostnames', async () => {
    expect(main.env).toEqual({ DOCKER_HOST: main.outputs['docker-host'], DOCKER_TLS_VERIFY: '1', DOCKER_CERT_PATH: main.outputs['cert-path'] })
    const listed = (await docker(main.env, ['node', 'ls', '--format', '{{json .}}']))
      .split('\n')
      .map((line) => JSON.parse(line) as { Hostname: string; Status: string; ManagerStatus: string })
    expect(listed.map((node) => [node.Hostname, node.Status, node.ManagerStatus]).sort()).toEqual([
      [`${name}-manager-1`, 'Ready', 'Leader'],
      [`${name}-worker-1`, 'Ready', ''],
      [`${name}-worker-2`, 'Ready', '']
    ])
    for (const node of nodes) {
      expect(await docker(main.env, ['node', 'inspect', node.id, '--format', '{{.Spec.Role}} {{.Description.Hostname}}'])).toBe(
        `${node.role} ${node.name}`
      )
    }
  })

  it('runs a replicated service whose tasks on different nodes talk over an overlay network', async () => {
    await docker(main.env, ['network', 'create', '--driver', 'overlay', 'e2e-overlay'])
    // No IPVS on this kernel: DNS round robin instead of a virtual IP.
    await docker(main.env, [
      ...['service', 'create', '--detach', '--name', 'web', '--replicas', '3', '--replicas-max-per-node', '1'],
      ...['--network', 'e2e-overlay', '--endpoint-mode', 'dnsrr', '--no-resolve-image', TEST_IMAGE],
      ...['sh', '-c', 'hostname > /www/index.html && exec httpd -f -p 80 -h /www']
    ])
    const described = await runningTasks(main.env, 'web', 'e2e-overlay', 3)
    expect(new Set(described.map((task) => task.nodeId)).size).toBe(3)
    for (const [from, to] of [
      [0, 1],
      [1, 2],
      [2, 0]
    ]) {
      const answer = await askOverOverlay(main.env, nodes, described[from], described[to])
      expect(answer).toMatch(/^HTTP\/1\.[01] 200 OK/)
      expect(answer.split('\n').pop()).toBe(described[to].container.slice(0, 12))
    }
  })

  it("lets no neighbour of the runner reach a node's engine, swarm or published ports, whatever the FORWARD policy; the runner reaches them", async () => {
    const neighbour = await startOutsideHost()
    const manager = nodes[0]
    try {
      // A published port in host mode on every node; the runner reaches it once a task serves it.
      await docker(main.env, [
        ...['service', 'create', '--detach', '--name', 'probe', '--mode', 'global', '--no-resolve-image'],
        ...['--publish', 'mode=host,target=80,published=18090', TEST_IMAGE, 'httpd', '-f', '-p', '80', '-h', '/www']
      ])
      await waitFor('the published port on the manager', async () => ((await httpGet(`${manager.ip}:18090`)) ? true : undefined))
      // The neighbour routes the nodes' range through the runner, as a host on the runner's LAN could.
      execFileSync('ip', ['-n', neighbour.netns, 'route', 'add', '198.18.0.0/15', 'via', neighbour.runnerIp])
      // Every probe of a round at once: a dropped SYN costs the whole 3 s bound.
      const connects = (netns: string | undefined, port: number) => {
        const argv = ['3', ...(netns ? ['nsenter', `--net=/run/netns/${netns}`] : []), 'bash', '-c', `exec 3<>/dev/tcp/${manager.ip}/${port}`]
        return new Promise<boolean>((resolve) => spawn('timeout', argv, { stdio: 'ignore' }).on('close', (code) => resolve(code === 0)))
      }
      // A host without Docker keeps the policy at ACCEPT: the cluster's own rules must stop the neighbour.
      for (const policy of ['ACCEPT', 'DROP']) {
        execFileSync('iptables', ['-P', 'FORWARD', policy])
        const reached = await Promise.all(
          [2376, 2377, 7946, 18090].map(async (port) => [policy, port, await connects(neighbour.netns, port), await connects(undefined, port)])
        )
        expect(reached).toEqual([2376, 2377, 7946, 18090].map((port) => [policy, port, false, true]))
      }
    } finally {
      neighbour.stop()
      await docker(main.env, ['service', 'rm', 'probe']).catch(() => '')
    }
  })

  it('NATs nodes and their containers to addresses beyond the runner, as for pulling images', async () => {
    const outside = await startOutsideHost()
    try {
      const netns = nodeNetns(main)[1]
      // The engine's own traffic (image pulls) leaves from the node's namespace.
      const fromNode = execFileSync(
        'nsenter',
        [`--net=/run/netns/${netns}`, 'bash', '-c', `exec 3<>/dev/tcp/${outside.ip}/${outside.port}; cat <&3`],
        { encoding: 'utf8', timeout: 10_000 }
      )
      expect(fromNode.trim()).toBe(outside.runnerIp)
      const answer = await docker(main.env, ['run', '--rm', TEST_IMAGE, 'sh', '-c', `nc -w 5 ${outside.ip} ${outside.port} </dev/null`])
      expect(answer).toBe(outside.runnerIp)
    } finally {
      outside.stop()
    }
  })

  it("shows each node's engine its own network devices in /sys, never the runner's", () => {
    for (const name of nodeNetns(main)) {
      const findEngine = 'ip netns pids "$1" | while read pid; do [ "$(cat /proc/$pid/comm)" != dockerd ] || echo $pid; done'
      const engine = execFileSync('sh', ['-c', findEngine, 'sh', name], { encoding: 'utf8' }).trim()
      expect(engine).toMatch(/^\d+$/)
      const inSys = execFileSync('nsenter', ['-t', engine, '--mount', 'ls', '/sys/class/net'], { encoding: 'utf8' }).split(/\s+/).filter(Boolean)
      const own = execFileSync('ip', ['-n', name, '-o', 'link', 'show'], { encoding: 'utf8' })
        .split('\n')
        .filter(Boolean)
        .map((line) => line.split(': ')[1].split('@')[0])
      // A bridge's settings the engine reads and writes there (docker0, docker_gwbridge) are its own.
      expect(inSys.sort()).toEqual(own.sort())
    }
  })

  it("gives the nodes' containers the name servers the action chose", async () => {
    // On the default bridge a container gets the node's own resolv.conf (on an overlay, Docker's
    // embedded DNS at 127.0.0.11 forwards to the same servers).
    const servers = (await nodeResolvConf()).split('\n').filter((line) => line.startsWith('nameserver'))
    const worker = { ...main.env, DOCKER_HOST: nodes[2].dockerHost }
    const inContainer = (await docker(worker, ['run', '--rm', TEST_IMAGE, 'cat', '/etc/resolv.conf']))
      .split('\n')
      .filter((line) => line.startsWith('nameserver'))
    expect(inContainer).toEqual(servers)
  })

  it('writes a job summary with the nodes and the phases', () => {
    expect(main.summary).toContain('<th>Node</th><th>Role</th><th>Address</th><th>Status</th>')
    for (const node of nodes) expect(main.summary).toContain(`<td>${node.name}</td><td>${node.role}</td><td>${node.ip}</td><td>ready</td>`)
    expect(main.summary).toContain('<td>Forming the swarm</td>')
  })

  it('post removes everything, and a second post is harmless', async () => {
    const first = await post(job, main)
    expect(first.stdout).toMatch(/removed swarm e2e-basic in [\d.]+ s/)
    expect(first.summary).toMatch(/<h3>Swarm e2e-basic removed<\/h3>\nEverything removed in [\d.]+ s\./)
    expect(leftovers(bridgeOf(name), clusterDir(job, name))).toEqual(NOTHING_LEFT)
    expect(readdirSync(job.runnerTemp)).toEqual([])
    await post(job, main)
    expect(leftovers(bridgeOf(name), clusterDir(job, name))).toEqual(NOTHING_LEFT)
  })
})

describe('failures and cancels leave nothing behind', () => {
  it('one node whose engine cannot start: main fails naming it, post removes the rest', async () => {
    const job = new Job()
    const name = 'e2e-broken'
    const main = await job.run('main', {
      inputs: { name, managers: '1', workers: '2' },
      env: dockerdFailingFor(`${name}-worker-2`, 'echo "injected: this engine cannot start" >&2; exit 1')
    })
    expect(main.code).toBe(1)
    expect(main.stdout).toMatch(
      /::error::the engine of e2e-broken-worker-2 exited with code 1; its log ends with:%0A.*injected: this engine cannot start/
    )
    expect(main.stdout).toContain('The post step removes whatever was created')
    expect(readdirSync('/sys/class/net').filter((link) => link.startsWith(bridgeOf(name))).length).toBeGreaterThan(1)
    await post(job, main)
    expect(leftovers(bridgeOf(name), clusterDir(job, name))).toEqual(NOTHING_LEFT)
  })

  it('an engine that never answers: main gives up at the `timeout` bound, with progress lines, and post removes everything', async () => {
    const job = new Job()
    const name = 'e2e-hang'
    const main = await job.run('main', { inputs: { name, workers: '1', timeout: '8' }, env: dockerdFailingFor(`${name}-worker-1`, 'exec sleep 600') })
    expect(main.code).toBe(1)
    expect(main.stdout).toMatch(/still waiting for the engine of e2e-hang-worker-1 after \d+ s/)
    expect(main.stdout).toMatch(
      /::error::timed out after \d+ s waiting for the engine of e2e-hang-worker-1 .*the bound is the `timeout` input \(8 s to create and form the swarm\): raise it if the nodes need longer/
    )
    await post(job, main)
    expect(leftovers(bridgeOf(name), clusterDir(job, name))).toEqual(NOTHING_LEFT)
  })

  it('a firewall that drops joins to the manager: the error names the ports the swarm needs', async () => {
    const job = new Job()
    const name = 'e2e-firewalled'
    // As a cloud security group can: the raw table drops 2377/tcp on the cluster's bridge before our rules see it.
    const rule = ['-t', 'raw', '-I', 'PREROUTING', '-i', bridgeOf(name), '-p', 'tcp', '--dport', '2377', '-j', 'DROP']
    execFileSync('iptables', rule)
    try {
      const main = await job.run('main', { inputs: { name, workers: '1', timeout: '8' } })
      expect(main.code).toBe(1)
      expect(main.stdout).toMatch(
        /::error::e2e-firewalled-worker-1 \(198\.1[89]\.\d+\.\d+\) could not join the swarm at 198\.1[89]\.\d+\.\d+:2377: .*; the nodes must reach each other on 2377\/tcp \(cluster management\), 7946\/tcp\+udp \(node communication\) and 4789\/udp \(overlay traffic\)/
      )
      await post(job, main)
    } finally {
      execFileSync(
        'iptables',
        rule.map((word) => (word === '-I' ? '-D' : word))
      )
    }
    expect(leftovers(bridgeOf(name), clusterDir(job, name))).toEqual(NOTHING_LEFT)
  })

  it('a cancel (SIGINT) in the middle of creating the nodes, then post', async () => {
    const job = new Job()
    const name = 'e2e-cancel'
    const main = await job.run('main', { inputs: { name, managers: '3', workers: '4' }, interrupt: { when: /network \S+ on bridge/ } })
    expect(main.code).toBe(1)
    expect(main.stdout).toContain('::warning::setup-swarm was cancelled (SIGINT); the post step removes whatever was created')
    expect(main.stdout).not.toContain('is ready')
    expect((JSON.parse(main.state.cluster) as { driverState: { subnet: string } }).driverState.subnet).toMatch(/^198\.1[89]\./)
    await post(job, main)
    expect(leftovers(bridgeOf(name), clusterDir(job, name))).toEqual(NOTHING_LEFT)
  })

  it('a test run killed (SIGKILL) halfway: the next run finds what it created, removes it, and a new cluster of the same name forms', async () => {
    const job = new Job()
    const name = 'e2e-killed'
    const killed = await job.run('main', {
      inputs: { name, managers: '2', workers: '2' },
      interrupt: { when: /network \S+ on bridge/, signal: 'SIGKILL' }
    })
    expect(killed.signal).toBe('SIGKILL')
    expect(readdirSync('/sys/class/net')).toContain(bridgeOf(name))
    // What the global setup of the next test run does first.
    const removed = removeTestClusters()
    expect(removed.filter((entry) => entry.name === name)).toEqual([expect.objectContaining({ name, code: 0 })])
    expect(leftovers(bridgeOf(name), clusterDir(job, name))).toEqual(NOTHING_LEFT)
    const again = new Job()
    const main = await again.run('main', { inputs: { name, workers: '0' } })
    expect(main.code).toBe(0)
    await post(again, main)
    expect(leftovers(bridgeOf(name), clusterDir(again, name))).toEqual(NOTHING_LEFT)
  })
})

onCurrentEngine('bad input', () => {
  it.each([
    ['managers', { managers: '0' }],
    ['managers', { managers: 'three' }],
    ['workers', { workers: '-1' }],
    ['name', { name: '-no_good' }],
    ['driver', { driver: 'virtual box!' }],
    ['swarm-init-opts', { 'swarm-init-opts': '--default-addr-pool "10.20.0.0/16' }],
    ['cleanup', { cleanup: 'yes' }]
  ])('fails naming `%s` and creates nothing', async (inputName, inputs) => {
    const job = new Job()
    const before = readdirSync('/sys/class/net').filter((link) => link.startsWith('swm'))
    const main = await job.run('main', { inputs })
    expect(main.code).toBe(1)
    expect(main.stdout).toMatch(new RegExp(`::error::input \`${inputName}\``))
    expect(main.stdout).not.toContain('The post step removes')
    expect(main.state.cluster).toBeUndefined()
    expect(readdirSync(job.runnerTemp)).toEqual([])
    expect(readdirSync('/sys/class/net').filter((link) => link.startsWith('swm'))).toEqual(before)
    const after = await job.run('post', { state: main.state })
    expect(after.stdout).toContain('nothing to remove')
  })
})

onCurrentEngine('a runner that cannot run the local driver', () => {
  it('without root or passwordless sudo: a clear error before anything is created', async () => {
    const job = new Job()
    const nobody = 65534
    const main = await job.run('main', { inputs: { name: 'e2e-nobody' }, user: nobody })
    expect(main.code).toBe(1)
    expect(main.stdout).toContain('::error::the `local` driver needs root or passwordless sudo to create network namespaces and engines')
    expect(main.state.cluster).toBeUndefined()
    expect(readdirSync(job.runnerTemp)).toEqual([])
    expect(existsSync(`/sys/class/net/${bridgeOf('e2e-nobody')}`)).toBe(false)
  })
})

onCurrentEngine('several clusters on one runner', () => {
  // Clusters a test could not post because it failed first: removed here, asserting nothing.
  const started: Array<{ job: Job; main: StepResult; user?: 'root' }> = []
  const start = async (job: Job, inputs: Record<string, string>, user?: 'root') => {
    const main = await job.run('main', { inputs, user })
    started.push({ job, main, user })
    return main
  }
  afterEach(async () => {
    await Promise.all(started.splice(0).map(({ job, main, user }) => job.run('post', { state: main.state, user })))
  })

  it('two jobs with default names, one run by root and one by the sudo user, run side by side without colliding', async () => {
    const [rootJob, runnerJob] = [new Job(), new Job()]
    const [a, b] = await Promise.all([start(rootJob, { workers: '1' }, 'root'), start(runnerJob, { workers: '1' })])
    const errors = (step: StepResult) => step.stdout.split('\n').filter((line) => line.startsWith('::error::'))
    expect([a.code, errors(a), b.code, errors(b)]).toEqual([0, [], 0, []])
    expect(a.outputs.name).not.toBe(b.outputs.name)
    expect(a.outputs['manager-ip'].split('.').slice(0, 3)).not.toEqual(b.outputs['manager-ip'].split('.').slice(0, 3))
    for (const step of [a, b]) {
      const ready = await docker(step.env, ['node', 'ls', '--format', '{{.Hostname}} {{.Status}}'])
      expect(ready.split('\n').sort()).toEqual([`${step.outputs.name}-manager-1 Ready`, `${step.outputs.name}-worker-1 Ready`])
    }
    await Promise.all([post(rootJob, a, 'root'), post(runnerJob, b)])
    expect(leftovers(bridgeOf(a.outputs.name), clusterDir(rootJob, a.outputs.name))).toEqual(NOTHING_LEFT)
    expect(leftovers(bridgeOf(b.outputs.name), clusterDir(runnerJob, b.outputs.name))).toEqual(NOTHING_LEFT)
  })

  it('a second cluster with a name already in use fails clearly and harms nothing', async () => {
    const job = new Job()
    const first = await start(job, { name: 'e2e-twice', workers: '0' })
    const second = await job.run('main', { inputs: { name: 'e2e-twice', workers: '0' } })
    expect(second.code).toBe(1)
    expect(second.stdout).toMatch(/::error::a cluster named "e2e-twice" already (exists|runs) on this runner/)
    expect(await docker(first.env, ['node', 'ls', '--format', '{{.Status}}'])).toBe('Ready')
  })

  it('export-env: false exports nothing, and the outputs still reach the swarm', async () => {
    const job = new Job()
    const main = await start(job, { name: 'e2e-noenv', workers: '0', 'export-env': 'false' })
    expect(main.code).toBe(0)
    expect(main.env).toEqual({})
    const fromOutputs = { DOCKER_HOST: main.outputs['docker-host'], DOCKER_TLS_VERIFY: '1', DOCKER_CERT_PATH: main.outputs['cert-path'] }
    expect(await docker(fromOutputs, ['node', 'ls', '--format', '{{.Hostname}} {{.Status}}'])).toBe('e2e-noenv-manager-1 Ready')
  })

  it('cleanup: false keeps the swarm, and post says so', async () => {
    const job = new Job()
    const main = await start(job, { name: 'e2e-kept', workers: '0', cleanup: 'false' })
    const kept = await job.run('post', { state: main.state })
    expect(kept.stdout).toContain('cleanup is false: kept swarm e2e-kept')
    // Outside RUNNER_TEMP, which the runner empties at the end of the job.
    expect(main.outputs['cert-path']).toBe(path.join(Job.keptDir('e2e-kept'), 'tls'))
    expect(await docker(main.env, ['node', 'ls', '--format', '{{.Status}}'])).toBe('Ready')
    const state = JSON.parse(main.state.cluster) as Record<string, unknown>
    await post(job, { ...main, state: { ...main.state, cluster: JSON.stringify({ ...state, cleanup: true }) } })
    expect(leftovers(bridgeOf('e2e-kept'), Job.keptDir('e2e-kept'))).toEqual(NOTHING_LEFT)
  })

  it('swarm-init-opts reach `docker swarm init`', async () => {
    const job = new Job()
    const main = await start(job, {
      name: 'e2e-initopts',
      workers: '0',
      'swarm-init-opts': '--default-addr-pool 10.123.0.0/16\n--default-addr-pool-mask-length 26'
    })
    expect(main.code).toBe(0)
    const cluster = JSON.parse(await docker(main.env, ['info', '--format', '{{json .Swarm.Cluster}}'])) as {
      DefaultAddrPool: string[]
      SubnetSize: number
    }
    expect([cluster.DefaultAddrPool, cluster.SubnetSize]).toEqual([['10.123.0.0/16'], 26])
  })
})

onCurrentEngine('the host as clusters find it and leave it', () => {
  let ipForwardBefore = '1'
  beforeAll(() => {
    ipForwardBefore = readIpForward()
  })
  afterAll(() => writeFileSync('/proc/sys/net/ipv4/ip_forward', ipForwardBefore))

  it('ip_forward at 0 is turned on for the cluster, marked, and restored to 0 by the last post', async () => {
    writeFileSync('/proc/sys/net/ipv4/ip_forward', '0')
    const job = new Job()
    const name = 'e2e-forward'
    const main = await job.run('main', { inputs: { name, workers: '1' } })
    expect(main.code).toBe(0)
    expect([readIpForward(), existsSync('/run/setup-swarm/ip-forward')]).toEqual(['1', true])
    await post(job, main)
    expect(readIpForward()).toBe('0')
    expect(leftovers(bridgeOf(name), clusterDir(job, name), { ipForward: '0' })).toEqual(NOTHING_LEFT)
  })

  it('ip_forward stays on when another tool began to forward while the cluster ran (its bridge would lose its traffic)', async () => {
    writeFileSync('/proc/sys/net/ipv4/ip_forward', '0')
    const job = new Job()
    const name = 'e2e-forward-shared'
    const other = 'e2etestbr0'
    const main = await job.run('main', { inputs: { name, workers: '1' } })
    try {
      expect(main.code).toBe(0)
      // As the runner's Docker, kind or libvirt would, once forwarding is on.
      execFileSync('ip', ['link', 'add', other, 'type', 'bridge'])
      const result = await post(job, main)
      expect(result.stdout).toContain(`IP forwarding stays on: bridge ${other} came to rely on it while the cluster ran`)
      expect(readIpForward()).toBe('1')
      expect(leftovers(bridgeOf(name), clusterDir(job, name), { ipForward: '1' })).toEqual(NOTHING_LEFT)
    } finally {
      spawnSync('ip', ['link', 'delete', other])
    }
  })
})

describe('a swarm of 3 managers and 2 workers', () => {
  const job = new Job()
  const name = 'e2e-ha'
  let main: StepResult
  let nodes: NodeOutput[]
  beforeAll(async () => {
    main = await job.run('main', { inputs: { name, managers: '3', workers: '2' } })
    nodes = main.outputs.nodes ? (JSON.parse(main.outputs.nodes) as NodeOutput[]) : []
  })
  afterAll(() => job.run('post', { state: main.state }))

  it('has three Reachable managers, one the Leader, two workers, and a manager token', async () => {
    expect(main.code).toBe(0)
    expect(main.outputs['manager-token']).toMatch(/^SWMTKN-1-/)
    const listed = (await docker(main.env, ['node', 'ls', '--format', '{{.Hostname}} {{.Status}} {{.ManagerStatus}}']))
      .split('\n')
      .map((line) => line.trim())
      .sort()
    expect(listed).toEqual([
      `${name}-manager-1 Ready Leader`,
      `${name}-manager-2 Ready Reachable`,
      `${name}-manager-3 Ready Reachable`,
      `${name}-worker-1 Ready`,
      `${name}-worker-2 Ready`
    ])
  })

  it("keeps a leader and accepts a service after the first manager's engine is killed", async () => {
    const netns = nodeNetns(main)[0]
    // Its first process is the PID namespace's init: the kernel ends the rest of the node with it.
    const pids = () => execFileSync('ip', ['netns', 'pids', netns], { encoding: 'utf8' }).trim()
    execFileSync('kill', ['-KILL', pids().split(/\s+/)[0]])
    expect(await waitFor('the first manager to be gone', () => Promise.resolve(pids() === '' || undefined), 10_000)).toBe(true)
    const survivor = { ...main.env, DOCKER_HOST: nodes[1].dockerHost }
    const leader = await waitFor(
      'a new leader',
      async () => {
        const statuses = (await docker(survivor, ['node', 'ls', '--format', '{{.Hostname}} {{.ManagerStatus}}'])).split('\n')
        return statuses.find((line) => line.endsWith(' Leader') && !line.startsWith(`${name}-manager-1 `))
      },
      60_000
    )
    expect(leader).toMatch(new RegExp(`^${name}-manager-[23] Leader$`))
    await importTestImage(main.env, [nodes[1].dockerHost])
    await docker(survivor, [
      ...['service', 'create', '--detach', '--name', 'after-failover', '--constraint', `node.hostname==${nodes[1].name}`],
      ...['--no-resolve-image', TEST_IMAGE, 'sleep', '600']
    ])
    const state = await waitFor('the service to run', async () => {
      const current = await docker(survivor, ['service', 'ps', 'after-failover', '--format', '{{.CurrentState}}'])
      return current.startsWith('Running') ? current : undefined
    })
    expect(state).toMatch(/^Running/)
  })

  it('post removes every node, the killed one too', async () => {
    await post(job, main)
    expect(leftovers(bridgeOf(name), clusterDir(job, name))).toEqual(NOTHING_LEFT)
  })
})
