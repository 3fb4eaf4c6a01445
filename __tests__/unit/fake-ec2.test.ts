import {
  AuthorizeSecurityGroupIngressCommand,
  DeleteSecurityGroupCommand,
  DescribeInstancesCommand,
  DescribeVpcsCommand,
  EC2Client,
  RunInstancesCommand,
  TerminateInstancesCommand
} from '@aws-sdk/client-ec2'
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals'
import { findUbuntuImage } from '../../src/drivers/ec2/ami.js'
import { createEc2Client } from '../../src/drivers/ec2/client.js'
import { destroyCluster } from '../../src/drivers/ec2/destroy.js'
import { credentialsError, errorCode } from '../../src/drivers/ec2/errors.js'
import { describeInstances } from '../../src/drivers/ec2/instances.js'
import { findClusterKeyPairs, generateSshKey, importKeyPair } from '../../src/drivers/ec2/key-pairs.js'
import { createSecurityGroup, findClusterSecurityGroups, securityGroupName } from '../../src/drivers/ec2/security-group.js'
import { clusterTags } from '../../src/drivers/ec2/tags.js'
import { startFakeEc2, type FakeEc2 } from '../fixtures/fake-ec2.js'
import { LABELS, quickPace, withEnv } from './ec2/helpers.js'

// The end-to-end tests' fake EC2, checked with the real SDK and the action's own modules: they must
// read its answers as they read EC2's, and it must refuse what EC2 refuses.

const KEYS = { accessKeyId: 'ASIAUNITFAKEEC200001', secretAccessKey: 'unit/Fake+Secret/0123456789', sessionToken: 'unit-session-token-0123456789' }
let fake: FakeEc2
let client: EC2Client

beforeEach(async () => {
  fake = await startFakeEc2({ credentials: [KEYS], bootMs: 10, shutdownMs: 50 })
  client = new EC2Client({ region: 'eu-west-1', endpoint: fake.url, credentials: KEYS, maxAttempts: 1 })
})
afterEach(async () => {
  client.destroy()
  await fake.close()
})

const ingress = { adminCidrs: ['203.0.113.7/32', '2001:db8::/32'], publishedPorts: [8080] }

async function launch(tags = clusterTags(LABELS, 'ci-manager-1'), keyName?: string, groupIds: string[] = []) {
  const launched = await client.send(
    new RunInstancesCommand({
      ...{ ImageId: 'ami-0noble0amd64new', MinCount: 1, MaxCount: 1, KeyName: keyName, Placement: { AvailabilityZone: 'eu-west-1a' } },
      NetworkInterfaces: [{ DeviceIndex: 0, Groups: groupIds, SubnetId: 'subnet-1' }],
      TagSpecifications: [{ ResourceType: 'instance', Tags: tags }]
    })
  )
  return launched.Instances![0].InstanceId!
}

describe('the fake EC2, read by the SDK and the action', () => {
  it("holds a group with the action's exact rules, found again by its tags", async () => {
    const group = await createSecurityGroup(client, { labels: LABELS, region: 'eu-west-1', ingress, pace: quickPace() })
    expect(group.vpcId).toBe(fake.vpcId)
    const [found] = await findClusterSecurityGroups(client, 'ci', 'octo/app')
    expect(found).toMatchObject({ GroupId: group.groupId, GroupName: 'setup-swarm-ci@octo/app', VpcId: fake.vpcId })
    expect(
      found.IpPermissions?.map((p) => [p.IpProtocol, p.FromPort, p.IpRanges?.length, p.Ipv6Ranges?.length, p.UserIdGroupPairs?.[0]?.GroupId])
    ).toEqual([
      ['tcp', 22, 1, 1, undefined],
      ['tcp', 2376, 1, 1, undefined],
      ['tcp', 2377, 0, 0, group.groupId],
      ['tcp', 7946, 0, 0, group.groupId],
      ['udp', 7946, 0, 0, group.groupId],
      ['udp', 4789, 0, 0, group.groupId],
      ['tcp', 8080, 1, 1, undefined]
    ])
    // EC2 refuses a second group of that name in the VPC, and the same rule twice.
    await expect(createSecurityGroup(client, { labels: LABELS, region: 'eu-west-1', ingress, pace: quickPace() })).rejects.toThrow('already exists')
    const again = { IpProtocol: 'tcp', FromPort: 22, ToPort: 22, IpRanges: [{ CidrIp: '203.0.113.7/32' }] }
    await expect(client.send(new AuthorizeSecurityGroupIngressCommand({ GroupId: group.groupId, IpPermissions: [again] }))).rejects.toMatchObject({
      name: 'InvalidPermission.Duplicate'
    })
  })

  it('holds two repositories’ clusters of one name side by side: their groups and key pairs are named apart', async () => {
    const other = { ...LABELS, repository: 'octo/other' }
    const groups = await Promise.all(
      [LABELS, other].map((labels) => createSecurityGroup(client, { labels, region: 'eu-west-1', ingress, pace: quickPace() }))
    )
    expect(groups.map((group) => group.groupName)).toEqual(['setup-swarm-ci@octo/app', 'setup-swarm-ci@octo/other'])
    for (const labels of [LABELS, other]) await importKeyPair(client, securityGroupName(labels), generateSshKey().publicKey, labels)
    expect((await findClusterKeyPairs(client, 'ci', 'octo/other')).map((pair) => pair.name)).toEqual(['setup-swarm-ci@octo/other'])
  })

  it('holds imported key pairs with their tags and creation time', async () => {
    await importKeyPair(client, 'setup-swarm-ci', generateSshKey().publicKey, LABELS)
    const pairs = await findClusterKeyPairs(client, 'ci', 'octo/app')
    expect(pairs.map((pair) => pair.name)).toEqual(['setup-swarm-ci'])
    expect(Math.abs(pairs[0].created!.getTime() - Date.now())).toBeLessThan(5000)
    await expect(importKeyPair(client, 'setup-swarm-ci', generateSshKey().publicKey, LABELS)).rejects.toMatchObject({
      name: 'InvalidKeyPair.Duplicate'
    })
  })

  it("finds the newest available Ubuntu LTS of Canonical's, not a newer one of someone else or one still pending", async () => {
    expect(await findUbuntuImage(client, 'eu-west-1', 't3.small')).toMatchObject({ imageId: 'ami-0noble0amd64new', architecture: 'x86_64' })
    expect(await findUbuntuImage(client, 'eu-west-1', 't4g.small')).toMatchObject({ imageId: 'ami-0noble0arm64new', architecture: 'arm64' })
  })

  it('answers in pages shorter than MaxResults, with a NextToken the action follows', async () => {
    for (let i = 0; i < 5; i++) await launch(clusterTags(LABELS, `ci-worker-${i}`))
    const instances = await describeInstances(client, [{ Name: 'tag:setup-swarm:cluster', Values: ['ci'] }])
    expect(instances).toHaveLength(5)
    const pages = fake.calls.filter((call) => call.action === 'DescribeInstances')
    expect(pages.map((call) => Boolean(call.params.NextToken))).toEqual([false, true, true])
  })

  it('refuses an unknown filter, and a page token of another query', async () => {
    await expect(describeInstances(client, [{ Name: 'tag-value-typo', Values: ['x'] }])).rejects.toMatchObject({ name: 'InvalidParameterValue' })
    await expect(client.send(new DescribeInstancesCommand({ MaxResults: 5, NextToken: 'cGFnZS0yLTAwMDAwMDAw' }))).rejects.toMatchObject({
      name: 'InvalidParameterValue'
    })
  })

  it('keeps a group while an instance uses it, until the instance is terminated; destroy waits for that and removes everything', async () => {
    const group = await createSecurityGroup(client, { labels: LABELS, region: 'eu-west-1', ingress, pace: quickPace() })
    await importKeyPair(client, 'setup-swarm-ci', generateSshKey().publicKey, LABELS)
    const untagged = await launch([], 'setup-swarm-ci', [group.groupId])
    const tagged = await launch(clusterTags(LABELS, 'ci-manager-1'), 'setup-swarm-ci', [group.groupId])
    const report = await destroyCluster(client, {
      cluster: 'ci',
      region: 'eu-west-1',
      repository: 'octo/app',
      keyNames: ['setup-swarm-ci'],
      keyNamesSince: new Date(Date.now() - 60_000),
      pace: { ...quickPace(), intervalMs: 20, sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)) }
    })
    expect(report.leftovers).toEqual([])
    expect(fake.instances().map((instance) => [instance.InstanceId, instance.State])).toEqual([
      [untagged, 'terminated'],
      [tagged, 'terminated']
    ])
    expect(fake.securityGroups().every((candidate) => candidate.deletedAt)).toBe(true)
    expect(fake.keyPairs().every((pair) => pair.deletedAt)).toBe(true)
  })

  it('fails a deletion with DependencyViolation while an instance is not terminated', async () => {
    const group = await createSecurityGroup(client, { labels: LABELS, region: 'eu-west-1', ingress, pace: quickPace() })
    const id = await launch(undefined, undefined, [group.groupId])
    await client.send(new TerminateInstancesCommand({ InstanceIds: [id] }))
    await expect(client.send(new DeleteSecurityGroupCommand({ GroupId: group.groupId }))).rejects.toMatchObject({ name: 'DependencyViolation' })
    expect(fake.instances()[0].State).toBe('shutting-down')
    await new Promise((resolve) => setTimeout(resolve, 200))
    expect(fake.instances()[0].State).toBe('terminated')
    await client.send(new DeleteSecurityGroupCommand({ GroupId: group.groupId }))
  })
})

describe("the fake EC2's signatures", () => {
  it("accepts the action's client, signed from the environment, and records who signed for which region", async () => {
    const env = {
      AWS_ACCESS_KEY_ID: KEYS.accessKeyId,
      AWS_SECRET_ACCESS_KEY: KEYS.secretAccessKey,
      AWS_SESSION_TOKEN: KEYS.sessionToken,
      AWS_ENDPOINT_URL_EC2: fake.url,
      AWS_EC2_METADATA_DISABLED: 'true'
    }
    await withEnv(env, () => createEc2Client('eu-west-1', env).send(new DescribeVpcsCommand({})))
    expect(fake.calls.map((call) => [call.action, call.accessKeyId, call.region, call.error])).toEqual([
      ['DescribeVpcs', KEYS.accessKeyId, 'eu-west-1', undefined]
    ])
  })

  it.each([
    ['a wrong secret', { ...KEYS, secretAccessKey: 'wrong' }, 'eu-west-1', 'AuthFailure'],
    ['no session token', { ...KEYS, sessionToken: undefined }, 'eu-west-1', 'AuthFailure'],
    ['an unknown key', { ...KEYS, accessKeyId: 'ASIAUNKNOWN000000000' }, 'eu-west-1', 'AuthFailure'],
    ['another region', KEYS, 'us-east-1', 'AuthFailure']
  ])('refuses %s', async (_what, credentials, region, code) => {
    const other = new EC2Client({ region, endpoint: fake.url, credentials, maxAttempts: 1 })
    const error = await other.send(new DescribeVpcsCommand({})).catch((e: unknown) => e)
    other.destroy()
    expect(errorCode(error)).toBe(code)
    expect(credentialsError(error, 'testing')).toBeDefined()
  })

  it('answers RequestExpired once the credentials expired, which the action reads as a credentials failure', async () => {
    fake.expireCredentials(KEYS.accessKeyId)
    const error = await client.send(new DescribeVpcsCommand({})).catch((e: unknown) => e)
    expect(errorCode(error)).toBe('RequestExpired')
    expect(credentialsError(error, 'removing')?.message).toContain('the AWS credentials expired or were rejected (RequestExpired) while removing')
  })

  it('fails the next calls of an action as asked (throttling), which the SDK retries', async () => {
    fake.failNext('DescribeVpcs', 'RequestLimitExceeded', 2)
    const retrying = new EC2Client({ region: 'eu-west-1', endpoint: fake.url, credentials: KEYS, maxAttempts: 3 })
    const answer = await retrying.send(new DescribeVpcsCommand({}))
    retrying.destroy()
    expect(answer.Vpcs?.length).toBe(2)
    expect(fake.calls.map((call) => call.error)).toEqual(['RequestLimitExceeded', 'RequestLimitExceeded', undefined])
  })
})
