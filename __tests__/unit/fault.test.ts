import { afterAll, describe, expect, it } from '@jest/globals'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import type { ClusterRecord } from '../../src/state/record.js'
import { freezeControl, freezerHierarchy } from '../../src/drivers/local/cgroups.js'
import type { Driver, NodeFaultState } from '../../src/drivers/driver.js'
import { parseFaultInputs } from '../../src/inputs/fault.js'
import type { MachineCommand } from '../../src/drivers/machine/cli.js'
import { machineFaultsSupported, movedNodes } from '../../src/drivers/machine/faults.js'
import { planFault, resolveNodes } from '../../src/swarm/fault-plan.js'

// The fault action's inputs and checks: a bad request is an error naming the input, before anything changes.

const node = (short: string, role: 'manager' | 'worker', host: number) => ({
  name: `c-${short}`,
  role,
  ip: `198.18.0.${host}`,
  advertiseIp: `198.18.0.${host}`,
  dockerHost: `tcp://198.18.0.${host}:2376`,
  id: `id${host}`
})
const RECORD = {
  name: 'c',
  driver: 'local',
  state: { name: 'c', driver: 'local', cleanup: true, dir: '/nowhere' },
  nodes: [node('manager-1', 'manager', 2), node('manager-2', 'manager', 3), node('worker-1', 'worker', 4)]
} as ClusterRecord
const LOCAL = { faultsSupported: () => ['stop', 'start', 'pause', 'resume', 'partition', 'heal'] } as unknown as Driver
const MACHINE = { faultsSupported: machineFaultsSupported } as unknown as Driver
const reader = (inputs: Record<string, string>) => (name: string) => inputs[name] ?? ''
const states = (entries: Record<string, Partial<NodeFaultState>> = {}) =>
  new Map(Object.entries(entries).map(([name, state]) => [name, { stopped: false, paused: false, partitioned: false, ...state }]))
const plan = (inputs: Record<string, string>, driver = LOCAL, now = states(), record = RECORD) =>
  planFault(record, parseFaultInputs(reader(inputs)), driver, now)

describe('fault inputs', () => {
  it('reads nodes one per line or comma-separated, wait and timeout with their defaults', () => {
    expect(parseFaultInputs(reader({ fault: 'stop', nodes: 'worker-1, manager-2\nc-manager-1' }))).toEqual({
      name: '',
      nodes: ['worker-1', 'manager-2', 'c-manager-1'],
      fault: 'stop',
      from: [],
      wait: true,
      timeoutSeconds: 60
    })
  })

  it.each([
    [{}, 'input `fault`: which fault, one of stop, start, pause, resume, partition, heal, drain, activate'],
    [{ fault: 'explode', nodes: 'worker-1' }, 'input `fault`: "explode" is not one of stop'],
    [{ fault: 'stop' }, 'input `nodes`: which nodes to stop'],
    [{ fault: 'stop', nodes: 'worker-1', from: 'manager-1' }, 'input `from`: only `partition` takes it'],
    [{ fault: 'stop', nodes: 'worker-1', wait: 'maybe' }, 'input `wait`'],
    [{ fault: 'stop', nodes: 'worker-1', timeout: '0' }, 'input `timeout`']
  ])('refuses %j naming the input', (inputs, message) => {
    expect(() => parseFaultInputs(reader(inputs))).toThrow(message)
  })
})

describe('the nodes a fault acts on', () => {
  it('takes full and short names, each node once', () => {
    expect(resolveNodes(RECORD, ['worker-1', 'c-worker-1', 'manager-2'], 'nodes').map((n) => n.name)).toEqual(['c-worker-1', 'c-manager-2'])
  })

  it('refuses an unknown node, naming the input and the cluster’s nodes', () => {
    expect(() => resolveNodes(RECORD, ['worker-9'], 'nodes')).toThrow(
      'input `nodes`: no node "worker-9" in cluster c (its nodes: c-manager-1, c-manager-2, c-worker-1)'
    )
  })

  it('partition: `from` defaults to every other node; a node cannot be partitioned from itself', () => {
    expect(plan({ fault: 'partition', nodes: 'manager-1' }).from.map((n) => n.name)).toEqual(['c-manager-2', 'c-worker-1'])
    expect(() => plan({ fault: 'partition', nodes: 'manager-1', from: 'c-manager-1' })).toThrow(
      'input `from`: c-manager-1 is in `nodes` too: a node cannot be partitioned from itself'
    )
  })

  it('start only a stopped node, resume only a paused one, never stop a stopped one', () => {
    expect(() => plan({ fault: 'start', nodes: 'worker-1' })).toThrow('input `nodes`: c-worker-1 is running: only a stopped node can start')
    expect(plan({ fault: 'start', nodes: 'worker-1' }, LOCAL, states({ 'c-worker-1': { stopped: true } })).nodes).toHaveLength(1)
    expect(() => plan({ fault: 'resume', nodes: 'worker-1' })).toThrow('c-worker-1 is not paused')
    expect(() => plan({ fault: 'stop', nodes: 'worker-1' }, LOCAL, states({ 'c-worker-1': { stopped: true } }))).toThrow('is stopped already')
  })

  it('heal without nodes: every partitioned node', () => {
    const now = states({ 'c-manager-2': { partitioned: true }, 'c-worker-1': { partitioned: true } })
    expect(plan({ fault: 'heal' }, LOCAL, now).nodes.map((n) => n.name)).toEqual(['c-manager-2', 'c-worker-1'])
  })

  it('a fault the driver cannot inject names the drivers that can; drain and activate work everywhere', () => {
    const machine = { ...RECORD, driver: 'virtualbox' }
    expect(() => plan({ fault: 'pause', nodes: 'worker-1' }, MACHINE, states(), machine)).toThrow(
      'input `fault`: the nodes of a virtualbox cluster cannot pause; pause works with the `local` driver only'
    )
    expect(plan({ fault: 'stop', nodes: 'worker-1' }, MACHINE, states(), machine).nodes.map((n) => n.name)).toEqual(['c-worker-1'])
    expect(plan({ fault: 'start', nodes: 'worker-1' }, MACHINE, states({ 'c-worker-1': { stopped: true } }), machine).nodes).toHaveLength(1)
    for (const driver of ['none', 'generic']) {
      expect(() => plan({ fault: 'stop', nodes: 'worker-1' }, MACHINE, states(), { ...RECORD, driver })).toThrow(
        `input \`fault\`: the nodes of a ${driver} cluster cannot stop; stop works with the \`local\` driver and the docker-machine drivers that power machines off and on (\`virtualbox\`, \`amazonec2\`, other VM and cloud drivers; not \`none\` or \`generic\`)`
      )
      expect(plan({ fault: 'drain', nodes: 'worker-1' }, MACHINE, states(), { ...RECORD, driver }).nodes).toHaveLength(1)
    }
    expect(plan({ fault: 'drain', nodes: 'worker-1' }, MACHINE, states(), machine).nodes).toHaveLength(1)
  })
})

describe('a docker-machine node started again', () => {
  /** docker-machine as a script: `ip` answers from `addresses`, every call is recorded. */
  const script = (addresses: Record<string, string>, calls: string[][], failRegenerate = false) =>
    ((args: string[]) => {
      calls.push(args)
      if (args[0] === 'ip') return Promise.resolve({ code: 0, stdout: `${addresses[args[1]]}\n`, stderr: '' })
      return Promise.resolve(failRegenerate ? { code: 1, stdout: '', stderr: 'Error: the CA key is gone' } : { code: 0, stdout: '', stderr: '' })
    }) as MachineCommand

  it('at its old address: nothing changes; at a new one: its certificate is made again and the node has that address', async () => {
    const calls: string[][] = []
    const [manager, , worker] = RECORD.nodes
    const behindNat = { ...worker, advertiseIp: '10.0.0.4' }
    const moved = await movedNodes(script({ 'c-manager-1': manager.ip, 'c-worker-1': '203.0.113.9' }, calls), [manager, behindNat])
    expect(moved).toEqual([{ ...behindNat, ip: '203.0.113.9', dockerHost: 'tcp://203.0.113.9:2376' }])
    expect(calls).toEqual([
      ['ip', 'c-manager-1'],
      ['ip', 'c-worker-1'],
      ['regenerate-certs', '--force', 'c-worker-1']
    ])
    // Where it advertised the address the runner reaches, the swarm address moved with it.
    expect(await movedNodes(script({ 'c-worker-1': '192.168.56.9' }, []), [worker])).toEqual([
      { ...worker, ip: '192.168.56.9', advertiseIp: '192.168.56.9', dockerHost: 'tcp://192.168.56.9:2376' }
    ])
  })

  it('a certificate that cannot be made again fails, with docker-machine’s message', async () => {
    await expect(movedNodes(script({ 'c-worker-1': '203.0.113.9' }, [], true), [RECORD.nodes[2]])).rejects.toThrow(
      'docker-machine regenerate-certs c-worker-1 failed: Error: the CA key is gone'
    )
  })
})

describe('the freezer', () => {
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'freezer-'))
  afterAll(() => rmSync(tmp, { recursive: true, force: true }))
  const host = (lines: string[]) => {
    const root = mkdtempSync(path.join(tmp, 'host-'))
    mkdirSync(path.join(root, 'proc', 'self'), { recursive: true })
    writeFileSync(path.join(root, 'proc', 'self', 'mountinfo'), lines.join('\n') + '\n')
    return root
  }
  const FREEZER = '33 25 0:31 / /sys/fs/cgroup/freezer rw,nosuid,nodev,noexec,relatime shared:16 - cgroup cgroup rw,freezer'
  const UNIFIED = '26 25 0:23 / /sys/fs/cgroup/unified rw,nosuid,nodev,noexec,relatime shared:10 - cgroup2 cgroup2 rw,nsdelegate'
  const V2 = '35 24 0:30 / /sys/fs/cgroup rw,nosuid,nodev,noexec,relatime shared:9 - cgroup2 cgroup2 rw,nsdelegate'

  it('is the v1 freezer controller where there is one (hybrid too), else cgroup v2, else none', () => {
    const hybrid = host([UNIFIED, FREEZER])
    expect(freezerHierarchy(hybrid)).toEqual({ path: path.join(hybrid, '/sys/fs/cgroup/freezer'), version: 1 })
    const v2 = host([V2])
    expect(freezerHierarchy(v2)).toEqual({ path: path.join(v2, '/sys/fs/cgroup'), version: 2 })
    expect(freezerHierarchy(host(['22 1 8:1 / / rw,relatime shared:1 - ext4 /dev/sda1 rw']))).toBeUndefined()
    // A container's view of a hierarchy's subdirectory cannot reach the cluster's cgroups.
    expect(freezerHierarchy(host([FREEZER.replace(' / /sys', ' /docker/abc /sys')]))).toBeUndefined()
  })

  it('freezes by freezer.state on v1 and cgroup.freeze on v2', () => {
    expect(freezeControl({ path: '/f', version: 1 }, '/p/n')).toEqual({ file: '/f/p/n/freezer.state', frozen: 'FROZEN', thawed: 'THAWED' })
    expect(freezeControl({ path: '/u', version: 2 }, '/p/n')).toEqual({ file: '/u/p/n/cgroup.freeze', frozen: '1', thawed: '0' })
  })
})
