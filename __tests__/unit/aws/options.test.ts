import { describe, expect, it } from '@jest/globals'
import { clusterVpc, DEFAULTS, parseInstanceOptions } from '../../../src/drivers/aws/options.js'
import { parseInputs } from '../../../src/inputs/index.js'
import { awsDriver } from '../../../src/drivers/aws/index.js'

const parse = (words: string[]) => parseInstanceOptions(words, 'driver-opts')

describe("driver aws's options", () => {
  it('default to a t3.small with a 16 GiB root volume, logged in as ubuntu, on demand, public addresses', () => {
    expect(parse([])).toEqual({ ...DEFAULTS, spot: false, privateAddressOnly: false })
    expect(DEFAULTS).toEqual({ instanceType: 't3.small', rootSize: 16, sshUser: 'ubuntu' })
  })

  it('take amazonec2’s spellings without the prefix, as `--flag value` or `--flag=value`; a later one wins', () => {
    expect(
      parse([
        '--instance-type',
        'm6i.large',
        '--instance-type=t4g.small',
        '--ami=ami-0123456789abcdef0',
        '--vpc-id',
        'vpc-0aaa1111bbbb2222c',
        '--subnet-id=subnet-0aaa1111bbbb2222c',
        '--root-size',
        '40',
        '--spot',
        '--iam-instance-profile',
        'arn:aws:iam::123456789012:instance-profile/swarm/nodes',
        '--ssh-user',
        'admin'
      ])
    ).toEqual({
      instanceType: 't4g.small',
      ami: 'ami-0123456789abcdef0',
      vpcId: 'vpc-0aaa1111bbbb2222c',
      subnetId: 'subnet-0aaa1111bbbb2222c',
      rootSize: 40,
      spot: true,
      iamInstanceProfile: 'arn:aws:iam::123456789012:instance-profile/swarm/nodes',
      privateAddressOnly: false,
      sshUser: 'admin'
    })
  })

  it('refuse an unknown option naming it and the known ones, and docker-machine’s flags with a pointer to amazonec2', () => {
    expect(() => parse(['--instance-typo', 't3.small'])).toThrow(
      /^input `driver-opts`: unknown option "--instance-typo" of driver `aws`; its options are --instance-type, --ami, .*--ssh-user/
    )
    expect(() => parse(['--amazonec2-instance-type', 't3.small'])).toThrow(/--amazonec2-\* flags are for driver `amazonec2`/)
  })

  it('refuse bad values, a value-less option, a switch with a value, and a subnet without its VPC', () => {
    expect(() => parse(['--root-size', '4'])).toThrow('input `driver-opts`, option --root-size: "4" is not a size in GiB from 8 to 16384')
    expect(() => parse(['--ami', 'ubuntu'])).toThrow(/option --ami: "ubuntu" is not valid here, expected something like ami-/)
    expect(() => parse(['--instance-type'])).toThrow('input `driver-opts`, option --instance-type: needs a value')
    expect(() => parse(['--instance-type', '--spot'])).toThrow('option --instance-type: needs a value')
    expect(() => parse(['--spot=yes'])).toThrow('input `driver-opts`, option --spot: takes no value')
    expect(() => parse(['--subnet-id', 'subnet-0aaa1111bbbb2222c'])).toThrow(/--vpc-id and --subnet-id go together/)
  })

  it('put the whole cluster in one VPC', () => {
    const a = parse(['--vpc-id', 'vpc-0aaa1111bbbb2222c', '--subnet-id', 'subnet-0aaa1111bbbb2222c'])
    expect(clusterVpc([a, a])).toBe('vpc-0aaa1111bbbb2222c')
    expect(() => clusterVpc([a, parse([])])).toThrow(/the nodes name vpc-0aaa1111bbbb2222c and the default VPC; a cluster lives in one VPC/)
  })

  it('are checked in preflight, per node, naming where they came from, before anything is created', async () => {
    const inputs = parseInputs(
      (name) =>
        ({
          driver: 'aws',
          name: 'ci',
          workers: '1',
          'driver-opts': '--instance-type t3.small',
          'worker-opts': '--root-size 2'
        })[name] ?? ''
    )
    await expect(awsDriver.preflight(inputs)).rejects.toThrow(
      'input `driver-opts`/`worker-opts`/`nodes`, option --root-size: "2" is not a size in GiB from 8 to 16384'
    )
  })
})
