import { CreateTagsCommand, RunInstancesCommand } from '@aws-sdk/client-ec2'
import { describe, expect, it } from '@jest/globals'
import { launchGroup, launchGroups } from '../../../src/drivers/aws/launch.js'
import { DEFAULTS, parseInstanceOptions } from '../../../src/drivers/aws/options.js'
import type { Ec2Cluster } from '../../../src/drivers/ec2/cluster.js'
import { clusterTags } from '../../../src/drivers/ec2/tags.js'
import type { NodeSpec } from '../../../src/inputs/index.js'
import { ec2Error, LABELS, mockEc2 } from '../ec2/helpers.js'
import { Deadline } from '../../../src/tools/wait.js'

const { ec2, client } = mockEc2()
const cluster: Ec2Cluster = {
  client,
  region: 'eu-west-1',
  labels: LABELS,
  vpcId: 'vpc-1',
  groupId: 'sg-1',
  groupName: 'setup-swarm-ci@octo/app',
  keyName: 'setup-swarm-ci@octo/app',
  keyPath: '/nowhere/id_rsa'
}
const node = (role: 'manager' | 'worker', i: number): NodeSpec => ({ name: `ci-${role}-${i}`, role, createOpts: [] })
const plain = { ...DEFAULTS, spot: false, privateAddressOnly: false }
const USER_DATA = '#!/bin/bash\necho hello\n'
const IMAGE = { imageId: 'ami-1', rootDeviceName: '/dev/sda1' }

describe('launching instances', () => {
  it('groups nodes of one role and the same options, in the nodes’ order', () => {
    const big = { ...plain, instanceType: 'm6i.large' }
    const groups = launchGroups(
      new Map([
        [node('manager', 1), plain],
        [node('worker', 1), plain],
        [node('worker', 2), big],
        [node('worker', 3), { ...plain }]
      ])
    )
    expect(groups.map((group) => group.nodes.map((n) => n.name))).toEqual([['ci-manager-1'], ['ci-worker-1', 'ci-worker-3'], ['ci-worker-2']])
  })

  it('starts a group in one call: tagged at creation (instance and volume), IMDSv2 with one hop, an encrypted root, the cluster’s group and key', async () => {
    ec2.on(RunInstancesCommand).resolves({
      Instances: [
        { InstanceId: 'i-b', AmiLaunchIndex: 1 },
        { InstanceId: 'i-a', AmiLaunchIndex: 0 }
      ]
    })
    ec2.on(CreateTagsCommand).resolves({})
    const options = parseInstanceOptions(['--spot', '--iam-instance-profile', 'swarm-nodes', '--root-size', '30'], 'driver-opts')
    const instances = await launchGroup(
      cluster,
      { nodes: [node('worker', 1), node('worker', 2)], options },
      IMAGE,
      USER_DATA,
      new Deadline(10, 'test')
    )
    expect(instances.map((instance) => instance.InstanceId)).toEqual(['i-a', 'i-b'])
    const input = ec2.commandCalls(RunInstancesCommand)[0].args[0].input
    expect(input).toEqual({
      ImageId: 'ami-1',
      InstanceType: 't3.small',
      MinCount: 2,
      MaxCount: 2,
      KeyName: 'setup-swarm-ci@octo/app',
      NetworkInterfaces: [{ DeviceIndex: 0, Groups: ['sg-1'], AssociatePublicIpAddress: true }],
      UserData: Buffer.from(USER_DATA).toString('base64'),
      MetadataOptions: { HttpTokens: 'required', HttpPutResponseHopLimit: 1, HttpEndpoint: 'enabled' },
      BlockDeviceMappings: [{ DeviceName: '/dev/sda1', Ebs: { Encrypted: true, VolumeSize: 30, VolumeType: 'gp3', DeleteOnTermination: true } }],
      IamInstanceProfile: { Name: 'swarm-nodes' },
      InstanceMarketOptions: { MarketType: 'spot', SpotOptions: { SpotInstanceType: 'one-time', InstanceInterruptionBehavior: 'terminate' } },
      TagSpecifications: [
        { ResourceType: 'instance', Tags: clusterTags(LABELS, 'ci-worker') },
        { ResourceType: 'volume', Tags: clusterTags(LABELS, 'ci-worker') },
        // --spot: the spot request is tagged too.
        { ResourceType: 'spot-instances-request', Tags: clusterTags(LABELS, 'ci-worker') }
      ]
    })
    // Each instance is then named after its node, in launch order.
    expect(ec2.commandCalls(CreateTagsCommand).map((call) => call.args[0].input)).toEqual([
      { Resources: ['i-a'], Tags: [{ Key: 'Name', Value: 'ci-worker-1' }] },
      { Resources: ['i-b'], Tags: [{ Key: 'Name', Value: 'ci-worker-2' }] }
    ])
  })

  it('puts the instances in the given subnet, private only when asked, with a profile by its ARN', async () => {
    ec2.on(RunInstancesCommand).resolves({ Instances: [{ InstanceId: 'i-a', AmiLaunchIndex: 0 }] })
    ec2.on(CreateTagsCommand).resolves({})
    const options = parseInstanceOptions(
      [
        ...['--vpc-id', 'vpc-0aaa1111bbbb2222c', '--subnet-id', 'subnet-0aaa1111bbbb2222c', '--private-address-only'],
        ...['--iam-instance-profile', 'arn:aws:iam::123456789012:instance-profile/nodes']
      ],
      'driver-opts'
    )
    await launchGroup(
      cluster,
      { nodes: [node('manager', 1)], options },
      { imageId: 'ami-2', rootDeviceName: '/dev/xvda' },
      USER_DATA,
      new Deadline(10, 'test')
    )
    const input = ec2.commandCalls(RunInstancesCommand)[0].args[0].input
    // Another image's root device: the mapping that encrypts the root names it.
    expect(input.BlockDeviceMappings![0].DeviceName).toBe('/dev/xvda')
    expect(input.NetworkInterfaces).toEqual([
      { DeviceIndex: 0, Groups: ['sg-1'], AssociatePublicIpAddress: false, SubnetId: 'subnet-0aaa1111bbbb2222c' }
    ])
    expect(input.IamInstanceProfile).toEqual({ Arn: 'arn:aws:iam::123456789012:instance-profile/nodes' })
    expect(input.InstanceMarketOptions).toBeUndefined()
  })

  it('names each instance again while EC2 does not know it yet (eventual consistency)', async () => {
    ec2.on(RunInstancesCommand).resolves({ Instances: [{ InstanceId: 'i-a', AmiLaunchIndex: 0 }] })
    ec2.on(CreateTagsCommand).rejectsOnce(ec2Error('InvalidInstanceID.NotFound', "The instance ID 'i-a' does not exist")).resolves({})
    await launchGroup(cluster, { nodes: [node('manager', 1)], options: plain }, IMAGE, USER_DATA, new Deadline(10, 'test'))
    expect(ec2.commandCalls(CreateTagsCommand)).toHaveLength(2)
  })

  it('says which type found no capacity, and what to try instead', async () => {
    ec2
      .on(RunInstancesCommand)
      .rejects(
        ec2Error(
          'InsufficientInstanceCapacity',
          'We currently do not have sufficient t3.small capacity in the Availability Zone you requested (eu-west-1c).'
        )
      )
    await expect(launchGroup(cluster, { nodes: [node('manager', 1)], options: plain }, IMAGE, USER_DATA, new Deadline(10, 'test'))).rejects.toThrow(
      /^EC2 cannot start 1 t3\.small instance\(s\) for ci-manager-1 now \(InsufficientInstanceCapacity: We currently do not have sufficient t3\.small capacity in the Availability Zone you requested \(eu-west-1c\)\.\): give another instance type \(--instance-type, .*or a subnet in another availability zone \(--subnet-id with --vpc-id\)$/
    )
    expect(ec2.commandCalls(CreateTagsCommand)).toHaveLength(0)
  })
})
