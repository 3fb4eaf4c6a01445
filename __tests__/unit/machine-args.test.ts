import { describe, expect, it } from '@jest/globals'
import { createArgs, machineEnv } from '../../src/drivers/machine/cli.js'
import { machineEndpoint } from '../../src/drivers/machine/machines.js'
import { virtualBoxPreparation } from '../../src/drivers/machine/virtualbox.js'
import { overlaps } from '../../src/drivers/local/subnet.js'

const tls = { caCert: '/t/ca.pem', caKey: '/t/ca-key.pem', clientCert: '/t/cert.pem', clientKey: '/t/key.pem' }

describe('docker-machine command lines', () => {
  it('puts global flags before the subcommand and every create flag before the name', () => {
    const node = { name: 'c-worker-1', role: 'worker' as const, createOpts: ['--engine-label', 'role=worker'] }
    expect(createArgs('amazonec2', node, ['--amazonec2-region', 'eu-west-1'], tls)).toEqual([
      ...['--tls-ca-cert', '/t/ca.pem', '--tls-ca-key', '/t/ca-key.pem', '--tls-client-cert', '/t/cert.pem', '--tls-client-key', '/t/key.pem'],
      ...['create', '-d', 'amazonec2', '--amazonec2-region', 'eu-west-1', '--engine-label', 'role=worker', 'c-worker-1']
    ])
  })

  it('gives VirtualBox a host-only network that 6.1.28 and later accept, unless one is given', () => {
    const node = { name: 'n', role: 'manager' as const, createOpts: [] }
    expect(createArgs('virtualbox', node, [], tls).slice(-3)).toEqual(['--virtualbox-hostonly-cidr', '192.168.56.1/24', 'n'])
    expect(createArgs('virtualbox', node, ['--virtualbox-hostonly-cidr', '192.168.57.1/24'], tls).slice(-3)).toEqual([
      '--virtualbox-hostonly-cidr',
      '192.168.57.1/24',
      'n'
    ])
    expect(createArgs('virtualbox', node, ['--virtualbox-hostonly-cidr=192.168.58.1/24'], tls)).not.toContain('192.168.56.1/24')
  })

  it('prepares a Linux runner for VirtualBox: install when missing, unload KVM when loaded', () => {
    expect(virtualBoxPreparation({ vboxManage: true, kvmModules: [] })).toEqual([])
    expect(virtualBoxPreparation({ vboxManage: false, kvmModules: ['kvm_intel', 'kvm'] })).toEqual([
      ['env', ['DEBIAN_FRONTEND=noninteractive', 'apt-get', 'update', '-q']],
      ['env', ['DEBIAN_FRONTEND=noninteractive', 'apt-get', 'install', '-y', '-q', 'virtualbox']],
      ['modprobe', ['-r', 'kvm_intel', 'kvm']]
    ])
    expect(virtualBoxPreparation({ vboxManage: true, kvmModules: ['kvm_amd', 'kvm'] })).toEqual([['modprobe', ['-r', 'kvm_amd', 'kvm']]])
  })

  it('runs docker-machine with private storage and without crash reports', () => {
    expect(machineEnv('/run/s')).toMatchObject({ MACHINE_STORAGE_PATH: '/run/s', MACHINE_BUGSNAG_API_TOKEN: 'no-report' })
  })
})

describe('subnet overlap', () => {
  it.each([
    ['198.18.5.0/24', '198.18.5.0/24', true],
    ['198.18.0.0/15', '198.19.7.0/24', true],
    ['198.19.7.9/32', '198.19.7.0/24', true],
    ['198.18.5.0/24', '198.18.6.0/24', false],
    ['10.0.0.0/8', '198.18.0.0/24', false],
    ['0.0.0.0/0', '198.18.0.0/24', true]
  ])('%s and %s: %s', (a, b, expected) => {
    expect(overlaps(a, b)).toBe(expected)
    expect(overlaps(b, a)).toBe(expected)
  })
})

describe('machine endpoints from `docker-machine inspect`', () => {
  it.each([
    [
      'none: the URL, not host:port in IPAddress',
      { IPAddress: '198.18.0.2:2376', URL: 'tcp://198.18.0.2:2376' },
      { ip: '198.18.0.2', advertiseIp: '198.18.0.2', dockerHost: 'tcp://198.18.0.2:2376' }
    ],
    [
      'generic: IPAddress and EnginePort',
      { IPAddress: '10.0.0.5', EnginePort: 2377 },
      { ip: '10.0.0.5', advertiseIp: '10.0.0.5', dockerHost: 'tcp://10.0.0.5:2377' }
    ],
    [
      'virtualbox: IPAddress on the engine port',
      { IPAddress: '192.168.56.101' },
      { ip: '192.168.56.101', advertiseIp: '192.168.56.101', dockerHost: 'tcp://192.168.56.101:2376' }
    ],
    [
      'amazonec2: the runner reaches the public address, nodes talk on the private one',
      { IPAddress: '54.1.2.3', PrivateIPAddress: '172.31.5.6' },
      { ip: '54.1.2.3', advertiseIp: '172.31.5.6', dockerHost: 'tcp://54.1.2.3:2376' }
    ],
    ['no address yet', {}, undefined]
  ])('%s', (_what, driver, expected) => {
    expect(machineEndpoint({ Driver: driver })).toEqual(expected)
  })
})
