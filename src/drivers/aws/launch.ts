import { CreateTagsCommand, RunInstancesCommand, type Instance, type RunInstancesCommandInput } from '@aws-sdk/client-ec2'
import type { NodeSpec } from '../../inputs/index.js'
import type { Ec2Cluster } from '../ec2/cluster.js'
import { describeError, hasCode, throwIfCredentials } from '../ec2/errors.js'
import { retryWhile } from '../ec2/retry.js'
import { describeInstances } from '../ec2/instances.js'
import { tagSpecifications } from '../ec2/tags.js'
import { GiveUp, pollUntil, type Deadline } from '../../tools/wait.js'
import type { InstanceOptions } from './options.js'

// The instances, launched by the action itself: tagged at creation (instance and volume, so none is
// ever untagged and post finds each by the run's tags even after a cancel mid-launch), IMDSv2 only
// with one hop (a container cannot reach the instance's credentials), an encrypted root volume.

/** Nodes that differ only in name: one RunInstances call starts them all. */
export interface LaunchGroup {
  nodes: NodeSpec[]
  options: InstanceOptions
}

/** Groups the nodes by role and options, in the nodes' order. */
export function launchGroups(options: Map<NodeSpec, InstanceOptions>): LaunchGroup[] {
  const groups = new Map<string, LaunchGroup>()
  for (const [node, option] of options) {
    const key = JSON.stringify([node.role, option])
    const group = groups.get(key) ?? { nodes: [], options: option }
    group.nodes.push(node)
    groups.set(key, group)
  }
  return [...groups.values()]
}

/** EC2's codes for a launch it cannot place now: another type or zone may well work. */
const NO_CAPACITY = ['InsufficientInstanceCapacity', 'InsufficientHostCapacity', 'Unsupported', 'InsufficientCapacity']

/** The AMI a group starts from, and its root device: the mapping that encrypts and sizes the root must name it. */
export interface NodeImage {
  imageId: string
  rootDeviceName: string
}

export function runInstancesInput(cluster: Ec2Cluster, group: LaunchGroup, image: NodeImage, userData: string): RunInstancesCommandInput {
  const { options } = group
  const name = `${cluster.labels.cluster}-${group.nodes[0].role}`
  return {
    ImageId: image.imageId,
    InstanceType: options.instanceType as RunInstancesCommandInput['InstanceType'],
    MinCount: group.nodes.length,
    MaxCount: group.nodes.length,
    KeyName: cluster.keyName,
    NetworkInterfaces: [
      {
        DeviceIndex: 0,
        Groups: [cluster.groupId],
        AssociatePublicIpAddress: !options.privateAddressOnly,
        ...(options.subnetId ? { SubnetId: options.subnetId } : {})
      }
    ],
    UserData: Buffer.from(userData).toString('base64'),
    MetadataOptions: { HttpTokens: 'required', HttpPutResponseHopLimit: 1, HttpEndpoint: 'enabled' },
    BlockDeviceMappings: [
      { DeviceName: image.rootDeviceName, Ebs: { Encrypted: true, VolumeSize: options.rootSize, VolumeType: 'gp3', DeleteOnTermination: true } }
    ],
    ...(options.iamInstanceProfile
      ? {
          IamInstanceProfile: options.iamInstanceProfile.startsWith('arn:')
            ? { Arn: options.iamInstanceProfile }
            : { Name: options.iamInstanceProfile }
        }
      : {}),
    ...(options.spot
      ? { InstanceMarketOptions: { MarketType: 'spot', SpotOptions: { SpotInstanceType: 'one-time', InstanceInterruptionBehavior: 'terminate' } } }
      : {}),
    TagSpecifications: tagSpecifications(cluster.labels, name, 'instance', 'volume', ...(options.spot ? (['spot-instances-request'] as const) : []))
  }
}

/** Starts a group's instances in one call and names each after its node; returns them in the nodes' order. */
export async function launchGroup(
  cluster: Ec2Cluster,
  group: LaunchGroup,
  image: NodeImage,
  userData: string,
  deadline: Deadline
): Promise<Instance[]> {
  let instances: Instance[]
  try {
    const answer = await cluster.client.send(new RunInstancesCommand(runInstancesInput(cluster, group, image, userData)))
    instances = [...(answer.Instances ?? [])].sort((a, b) => (a.AmiLaunchIndex ?? 0) - (b.AmiLaunchIndex ?? 0))
  } catch (error) {
    throwIfCredentials(error, `launching ${group.nodes.map((node) => node.name).join(', ')}`)
    const what = `${group.nodes.length} ${group.options.instanceType} instance(s) for ${group.nodes.map((node) => node.name).join(', ')}`
    if (hasCode(error, ...NO_CAPACITY)) {
      throw new Error(
        `EC2 cannot start ${what} now (${describeError(error)}): give another instance type (--instance-type, e.g. t3a.small or m6i.large) or a subnet in another availability zone (--subnet-id with --vpc-id)`,
        { cause: error }
      )
    }
    throw new Error(`launching ${what} failed: ${describeError(error)}`, { cause: error })
  }
  if (instances.length !== group.nodes.length) throw new Error(`EC2 started ${instances.length} of ${group.nodes.length} instances`)
  // EC2 is eventually consistent: an instance just launched may not be known to CreateTags yet.
  const pace = { deadline, intervalMs: 1000 }
  await Promise.all(
    instances.map((instance, i) =>
      retryWhile(
        (error) => hasCode(error, 'InvalidInstanceID.NotFound'),
        pace,
        () => cluster.client.send(new CreateTagsCommand({ Resources: [instance.InstanceId!], Tags: [{ Key: 'Name', Value: group.nodes[i].name }] }))
      )
    )
  )
  return instances
}

const RUNNING_POLL_MS = 2000

/** Waits until the instance runs with its addresses; fails at once when it ends instead. */
export async function waitRunning(cluster: Ec2Cluster, instanceId: string, deadline: Deadline, node: string): Promise<Instance> {
  let instance: Instance | undefined
  await pollUntil(
    deadline,
    `${node}'s instance ${instanceId} to run`,
    async () => {
      ;[instance] = await describeInstances(cluster.client, [{ Name: 'instance-id', Values: [instanceId] }])
      const state = instance?.State?.Name
      if (state === 'shutting-down' || state === 'terminated' || state === 'stopped') {
        throw new GiveUp(`${node}'s instance ${instanceId} is ${state}: ${instance?.StateReason?.Message ?? 'EC2 gave no reason'}`)
      }
      return state === 'running' && Boolean(instance?.PrivateIpAddress)
    },
    { intervalMs: RUNNING_POLL_MS, progressEveryMs: 30_000 }
  )
  return instance!
}
