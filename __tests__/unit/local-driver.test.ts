import { describe, expect, it } from '@jest/globals'
import { claimFile, localNames, vethName } from '../../src/drivers/local/names.js'
import { dockerdArgs, nodeFiles } from '../../src/drivers/local/node.js'
import { hostAddress, overlaps, subnetCandidates } from '../../src/drivers/local/subnet.js'

describe('local driver names', () => {
  const REPOSITORY = 'octo-org/app'

  it('derives every name of a cluster from its repository and name, short enough for interface names', () => {
    const local = localNames('ci-cluster', 3, REPOSITORY)
    expect(local.bridge).toMatch(/^swm[0-9a-f]{8}$/)
    expect(local).toEqual({
      bridge: local.bridge,
      tag: `setup-swarm:${local.bridge}`,
      netns: [1, 2, 3].map((i) => `${local.bridge}-${i}`),
      cgroupParent: `/setup-swarm-${local.bridge}`
    })
    expect(vethName(local, 2)).toBe(`${local.bridge}v3`)
    expect(vethName(localNames('x', 250, REPOSITORY), 249).length).toBeLessThanOrEqual(15)
    expect(localNames('other', 0, REPOSITORY).bridge).not.toBe(local.bridge)
    expect(claimFile(local)).toBe(`/run/setup-swarm-${local.bridge}.claim`)
  })

  it('gives two repositories’ clusters of one name names of their own: neither removes the other’s', () => {
    expect(localNames('pr-5', 0, 'octo-org/a').bridge).not.toBe(localNames('pr-5', 0, 'octo-org/b').bridge)
    // `owner/repo/name` is one string for one pair only.
    expect(localNames('c', 0, 'a/b').bridge).not.toBe(localNames('b-c', 0, 'a/b').bridge)
  })

  it('is this run’s repository’s unless given, and needs one', () => {
    const saved = process.env.GITHUB_REPOSITORY
    try {
      process.env.GITHUB_REPOSITORY = REPOSITORY
      expect(localNames('ci-cluster', 0)).toEqual(localNames('ci-cluster', 0, REPOSITORY))
      delete process.env.GITHUB_REPOSITORY
      expect(() => localNames('ci-cluster', 0)).toThrow('GITHUB_REPOSITORY is not set: setup-swarm records which repository each cluster belongs to')
    } finally {
      if (saved === undefined) delete process.env.GITHUB_REPOSITORY
      else process.env.GITHUB_REPOSITORY = saved
    }
  })
})

describe('subnets', () => {
  it('offers every /24 of 198.18.0.0/15 once, starting at the cluster own', () => {
    const candidates = subnetCandidates(511)
    expect(candidates).toHaveLength(512)
    expect(new Set(candidates).size).toBe(512)
    expect(candidates.slice(0, 3)).toEqual(['198.19.255.0/24', '198.18.0.0/24', '198.18.1.0/24'])
    expect(candidates.every((subnet) => overlaps(subnet, '198.18.0.0/15'))).toBe(true)
    expect(hostAddress('198.18.7.0/24', 1)).toBe('198.18.7.1')
  })
})

describe("a node's engine", () => {
  it('runs with its own data, runtime, config, TLS, containerd namespaces and cgroup parent', () => {
    const files = nodeFiles('/tmp/c/nodes/n1')
    expect(dockerdArgs('/usr/sbin/dockerd', { name: 'n1', ip: '198.18.0.2', cgroupParent: '/setup-swarm-swm1', files })).toEqual([
      '/usr/sbin/dockerd',
      ...[
        '--data-root',
        '/tmp/c/nodes/n1/data',
        '--exec-root',
        '/run/docker',
        '--pidfile',
        '/run/docker.pid',
        '--config-file',
        '/tmp/c/nodes/n1/daemon.json'
      ],
      ...['-H', 'tcp://198.18.0.2:2376', '--tlsverify', '--tlscacert', '/tmp/c/nodes/n1/ca.pem'],
      ...['--tlscert', '/tmp/c/nodes/n1/server-cert.pem', '--tlskey', '/tmp/c/nodes/n1/server-key.pem'],
      ...['--containerd-namespace', 'n1', '--containerd-plugins-namespace', 'n1-plugins'],
      ...['--exec-opt', 'native.cgroupdriver=cgroupfs', '--cgroup-parent', '/setup-swarm-swm1']
    ])
  })
})
