import { describe, expect, it } from '@jest/globals'
import type { Instance } from '@aws-sdk/client-ec2'
import { isOfCurrentSpec } from '../../src/workload/convergence.js'
import { keptEc2Nodes } from '../../src/drivers/ec2/find-kept.js'
import { hostEndpoint } from '../../src/drivers/machine/host-endpoints.js'
import type { SwarmService, SwarmTask } from '../../src/engine/api.js'
import { parseInputs } from '../../src/inputs/index.js'
import { clusterDir, keptRoot } from '../../src/state/cluster.js'

describe('where kept clusters live', () => {
  it('outside RUNNER_TEMP: XDG_STATE_HOME when set, /var/lib for root, the user’s ~/.local/state otherwise', () => {
    expect(keptRoot({ XDG_STATE_HOME: '/x/state', HOME: '/home/runner' }, 1001)).toBe('/x/state/setup-swarm')
    expect(keptRoot({ HOME: '/root' }, 0)).toBe('/var/lib/setup-swarm')
    expect(keptRoot({ HOME: '/home/runner' }, 1001)).toBe('/home/runner/.local/state/setup-swarm')
  })

  it('under the run’s repository: two repositories’ kept clusters of one name never share a directory', () => {
    const saved = { ...process.env }
    try {
      process.env.XDG_STATE_HOME = '/x/state'
      process.env.GITHUB_REPOSITORY = 'octo-org/a'
      expect(clusterDir('pr-5', true)).toBe('/x/state/setup-swarm/octo-org/a/pr-5')
      process.env.GITHUB_REPOSITORY = 'octo-org/b'
      expect(clusterDir('pr-5', true)).toBe('/x/state/setup-swarm/octo-org/b/pr-5')
      delete process.env.GITHUB_REPOSITORY
      expect(() => clusterDir('pr-5', true)).toThrow('GITHUB_REPOSITORY is not set')
    } finally {
      process.env = saved
    }
  })

  it('a removed cluster’s dir stays in RUNNER_TEMP, which post deletes', () => {
    const saved = process.env.RUNNER_TEMP
    process.env.RUNNER_TEMP = '/runner/temp'
    try {
      expect(clusterDir('c')).toBe('/runner/temp/setup-swarm/c')
    } finally {
      process.env.RUNNER_TEMP = saved
    }
  })
})

describe('a kept amazonec2 cluster, from its instances', () => {
  const inputs = parseInputs((name) => ({ driver: 'amazonec2', name: 'pr-7', workers: '1', cleanup: 'false' })[name] ?? '')
  const instance = (name: string, state: string, extra: Partial<Instance> = {}): Instance => ({
    InstanceId: `i-${name}`,
    State: { Name: state as never },
    PublicIpAddress: `203.0.113.${name.length}`,
    PrivateIpAddress: `10.0.0.${name.length}`,
    Tags: [{ Key: 'Name', Value: name }],
    ...extra
  })

  it('gives each node the runner-reachable public address and the private one to advertise, in the inputs’ order', () => {
    const nodes = keptEc2Nodes(
      inputs,
      [instance('pr-7-worker-1', 'running'), instance('pr-7-manager-1', 'running', { PublicIpAddress: '203.0.113.9' })],
      false
    )
    expect(nodes).toEqual([
      { name: 'pr-7-manager-1', role: 'manager', ip: '203.0.113.9', advertiseIp: '10.0.0.14', dockerHost: 'tcp://203.0.113.9:2376' },
      { name: 'pr-7-worker-1', role: 'worker', ip: '203.0.113.13', advertiseIp: '10.0.0.13', dockerHost: 'tcp://203.0.113.13:2376' }
    ])
  })

  it('is not healthy with a stopped instance, a missing node, or an instance the inputs do not name', () => {
    expect(() => keptEc2Nodes(inputs, [instance('pr-7-manager-1', 'stopped'), instance('pr-7-worker-9', 'running')], false)).toThrow(
      /^kept cluster "pr-7" is not healthy: pr-7-manager-1's instance i-pr-7-manager-1 is stopped; pr-7-worker-1 has no instance; instance i-pr-7-worker-9 \(pr-7-worker-9\) is not a node the inputs name\. Destroy it by name/
    )
  })
})

describe('hosts that outlive a kept cluster', () => {
  const node = (opts: string[]) => ({ name: 'n', role: 'manager' as const, createOpts: opts })

  it('are where none’s --url and generic’s --generic-ip-address and --generic-engine-port say', () => {
    expect(hostEndpoint('none', node(['--url', 'tcp://10.0.0.5:2376']), [])).toMatchObject({ ip: '10.0.0.5', dockerHost: 'tcp://10.0.0.5:2376' })
    expect(hostEndpoint('generic', node(['--generic-ip-address=10.0.0.6']), ['--generic-engine-port', '2377'])).toMatchObject({
      ip: '10.0.0.6',
      dockerHost: 'tcp://10.0.0.6:2377'
    })
    expect(() => hostEndpoint('none', node([]), [])).toThrow('input `nodes`, node n: no --url')
  })
})

describe('a redeployed service converges on its new spec only', () => {
  const service = { ID: 's', Spec: { TaskTemplate: { ContainerSpec: { Image: 'sha256:new', Args: ['a'] } } } } as unknown as SwarmService
  const task = (spec: unknown): SwarmTask => ({
    ID: 't',
    ServiceID: 's',
    DesiredState: 'running',
    Status: { State: 'running' },
    Spec: { ContainerSpec: spec }
  })

  it('counts a task made from the current container spec, whatever its keys’ order, and not one of the old spec', () => {
    expect(isOfCurrentSpec(task({ Args: ['a'], Image: 'sha256:new' }), service)).toBe(true)
    expect(isOfCurrentSpec(task({ Image: 'sha256:old', Args: ['a'] }), service)).toBe(false)
  })
})
