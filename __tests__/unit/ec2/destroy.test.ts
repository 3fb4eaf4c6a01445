import {
  DeleteKeyPairCommand,
  DeleteSecurityGroupCommand,
  DescribeInstancesCommand,
  DescribeKeyPairsCommand,
  DescribeSecurityGroupsCommand,
  TerminateInstancesCommand,
  type DescribeInstancesCommandInput,
  type Instance
} from '@aws-sdk/client-ec2'
import { describe, expect, it } from '@jest/globals'
import { destroyCluster } from '../../../src/drivers/ec2/destroy.js'
import { ec2Error, FAKE_CREDENTIALS, mockEc2, quickPace, shortPace, withEnv } from './helpers.js'

const { ec2, client } = mockEc2()

const CLUSTER_TAGS = [
  { Key: 'setup-swarm:cluster', Value: 'ci' },
  { Key: 'setup-swarm:repository', Value: 'octo/app' }
]
const MANAGER: Instance = { InstanceId: 'i-1', KeyName: 'ci-manager-1', Tags: [{ Key: 'Name', Value: 'ci-manager-1' }, ...CLUSTER_TAGS] }
/** A create killed before docker-machine tagged its instance. */
const HALF_MADE: Instance = { InstanceId: 'i-2', KeyName: 'ci-worker-1', LaunchTime: new Date() }

/** Answers DescribeInstances by what it asks: the cluster's tag, key names, or instance IDs (all terminated). */
function instancesByQuery(byTag: Instance[], byKey: Instance[]) {
  ec2.on(DescribeInstancesCommand).callsFake((input: DescribeInstancesCommandInput) => {
    const filter = input.Filters![0]
    if (filter.Name === 'tag:setup-swarm:cluster') return { Reservations: [{ Instances: byTag }] }
    if (filter.Name === 'key-name') return { Reservations: [{ Instances: byKey.filter((instance) => filter.Values!.includes(instance.KeyName!)) }] }
    return { Reservations: [{ Instances: filter.Values!.map((InstanceId) => ({ InstanceId, State: { Name: 'terminated' } })) }] }
  })
}

const commandNames = () => ec2.calls().map((call) => (call.args[0] as object).constructor.name.replace(/Command$/, ''))

describe('destroyCluster', () => {
  it('terminates instances found by tag and by recorded key names, then deletes key pairs and security groups', async () => {
    ec2.on(DescribeKeyPairsCommand).resolves({ KeyPairs: [] })
    instancesByQuery([MANAGER], [MANAGER, HALF_MADE])
    ec2.on(TerminateInstancesCommand).resolves({})
    ec2.on(DeleteKeyPairCommand).resolves({ Return: true })
    ec2.on(DescribeSecurityGroupsCommand).resolves({ SecurityGroups: [{ GroupId: 'sg-1', GroupName: 'setup-swarm-ci' }] })
    ec2.on(DeleteSecurityGroupCommand).rejectsOnce(ec2Error('DependencyViolation')).resolves({ Return: true })

    const report = await destroyCluster(client, {
      cluster: 'ci',
      region: 'eu-west-1',
      repository: 'octo/app',
      keyNames: ['ci-manager-1', 'ci-worker-1'],
      keyNamesSince: new Date(Date.now() - 60_000),
      pace: quickPace()
    })

    expect(report).toEqual({
      removed: [
        'instance i-1 (ci-manager-1) in eu-west-1',
        'instance i-2 in eu-west-1',
        'key pair ci-manager-1 in eu-west-1',
        'key pair ci-worker-1 in eu-west-1',
        'security group sg-1 (setup-swarm-ci) in eu-west-1'
      ],
      leftovers: [],
      credentialsFailed: false
    })
    expect(commandNames()).toEqual([
      'DescribeKeyPairs',
      'DescribeInstances',
      'DescribeInstances',
      'TerminateInstances',
      'DescribeInstances',
      'DeleteKeyPair',
      'DeleteKeyPair',
      'DescribeSecurityGroups',
      'DeleteSecurityGroup',
      // Still held: is an instance in the group that was not listed before? (none here)
      'DescribeInstances',
      'DeleteSecurityGroup'
    ])
    expect(ec2.commandCalls(TerminateInstancesCommand)[0].args[0].input).toEqual({ InstanceIds: ['i-1', 'i-2'] })
  })

  it('needs no local state: the tags lead to instances, their own key pairs, tagged key pairs and groups', async () => {
    const TAGGED_KEY_INSTANCE: Instance = { InstanceId: 'i-9', KeyName: 'ci-worker-2', LaunchTime: new Date() }
    ec2.on(DescribeKeyPairsCommand).resolves({ KeyPairs: [{ KeyName: 'ci-worker-2', CreateTime: new Date(Date.now() - 60_000) }] })
    instancesByQuery([MANAGER], [TAGGED_KEY_INSTANCE])
    ec2.on(TerminateInstancesCommand).resolves({})
    ec2.on(DeleteKeyPairCommand).resolves({ Return: true })
    ec2.on(DescribeSecurityGroupsCommand).resolves({ SecurityGroups: [] })

    const report = await destroyCluster(client, { cluster: 'ci', region: 'eu-west-1', pace: quickPace() })

    expect(report.leftovers).toEqual([])
    expect(ec2.commandCalls(DescribeKeyPairsCommand)[0].args[0].input).toEqual({ Filters: [{ Name: 'tag:setup-swarm:cluster', Values: ['ci'] }] })
    expect(ec2.commandCalls(TerminateInstancesCommand)[0].args[0].input).toEqual({ InstanceIds: ['i-1', 'i-9'] })
    expect(ec2.commandCalls(DeleteKeyPairCommand).map((call) => call.args[0].input.KeyName)).toEqual(['ci-worker-2', 'ci-manager-1'])
  })

  it('leaves a group still in use at the deadline as a leftover naming its ID and region, and throws nothing', async () => {
    ec2.on(DescribeKeyPairsCommand).resolves({ KeyPairs: [] })
    instancesByQuery([], [])
    ec2.on(DescribeSecurityGroupsCommand).resolves({ SecurityGroups: [{ GroupId: 'sg-7', GroupName: 'setup-swarm-ci' }] })
    ec2.on(DeleteSecurityGroupCommand).rejects(ec2Error('DependencyViolation', 'resource sg-7 has a dependent object'))

    const report = await destroyCluster(client, { cluster: 'ci', region: 'eu-west-1', pace: shortPace(60) })

    expect(report.removed).toEqual([])
    expect(report.leftovers).toEqual([
      'security group sg-7 in eu-west-1: not deleted before the deadline (DependencyViolation: resource sg-7 has a dependent object); ' +
        'delete it by hand: aws ec2 delete-security-group --region eu-west-1 --group-id sg-7'
    ])
  })

  it('ends an instance that holds the group but was not listed before (a launch a cancel cut short, seen late)', async () => {
    ec2.on(DescribeKeyPairsCommand).resolves({ KeyPairs: [] })
    ec2
      .on(DescribeInstancesCommand)
      .callsFake((input: DescribeInstancesCommandInput) =>
        input.Filters![0].Name === 'instance.group-id'
          ? { Reservations: [{ Instances: [{ InstanceId: 'i-9', State: { Name: 'running' } }] }] }
          : { Reservations: [] }
      )
    ec2.on(TerminateInstancesCommand).resolves({})
    ec2.on(DescribeSecurityGroupsCommand).resolves({ SecurityGroups: [{ GroupId: 'sg-7', GroupName: 'setup-swarm-ci' }] })
    ec2.on(DeleteSecurityGroupCommand).rejectsOnce(ec2Error('DependencyViolation', 'resource sg-7 has a dependent object')).resolves({})

    const report = await destroyCluster(client, { cluster: 'ci', region: 'eu-west-1', pace: quickPace() })

    expect(ec2.commandCalls(TerminateInstancesCommand).map((call) => call.args[0].input.InstanceIds)).toEqual([['i-9']])
    expect(report.removed).toEqual(['instance i-9 in eu-west-1 (listed late)', 'security group sg-7 (setup-swarm-ci) in eu-west-1'])
    expect(report.leftovers).toEqual([])
  })

  it('keeps the key pairs while an instance remains: they lead the next destroy to it', async () => {
    ec2.on(DescribeKeyPairsCommand).resolves({ KeyPairs: [] })
    instancesByQuery([], [HALF_MADE])
    ec2.on(TerminateInstancesCommand).rejects(ec2Error('OperationNotPermitted', 'termination protection'))
    ec2.on(DescribeSecurityGroupsCommand).resolves({ SecurityGroups: [] })

    const report = await destroyCluster(client, { cluster: 'ci', region: 'eu-west-1', keyNames: ['ci-worker-1'], pace: quickPace() })

    expect(report.leftovers).toEqual([
      'instance i-2 in eu-west-1: OperationNotPermitted: termination protection; terminate it by hand: aws ec2 terminate-instances --region eu-west-1 --instance-ids i-2',
      'key pairs ci-worker-1 in eu-west-1: kept while instances of cluster ci may remain; run destroy again'
    ])
    expect(ec2.commandCalls(DeleteKeyPairCommand)).toHaveLength(0)
  })

  it('keeps going after a step fails, naming it', async () => {
    ec2.on(DescribeKeyPairsCommand).resolves({ KeyPairs: [] })
    ec2.on(DescribeInstancesCommand).rejects(ec2Error('InternalError', 'An internal error has occurred'))
    ec2.on(DescribeSecurityGroupsCommand).resolves({ SecurityGroups: [{ GroupId: 'sg-1', GroupName: 'setup-swarm-ci' }] })
    ec2.on(DeleteSecurityGroupCommand).resolves({ Return: true })

    const report = await destroyCluster(client, { cluster: 'ci', region: 'eu-west-1', pace: quickPace() })

    expect(report.leftovers).toEqual([
      'cluster ci in eu-west-1: listing its instances failed (InternalError: An internal error has occurred); run destroy again to remove what is left'
    ])
    expect(report.removed).toEqual(['security group sg-1 (setup-swarm-ci) in eu-west-1'])
  })

  it('stops at expired credentials with one clear leftover that carries no credential', async () => {
    await withEnv(FAKE_CREDENTIALS, async () => {
      ec2.on(DescribeKeyPairsCommand).rejects(ec2Error('ExpiredToken', `The security token ${FAKE_CREDENTIALS.AWS_SESSION_TOKEN} is expired`))
      const report = await destroyCluster(client, { cluster: 'ci', region: 'eu-west-1', pace: quickPace() })
      expect(report).toEqual({
        removed: [],
        leftovers: [
          'the AWS credentials expired or were rejected (ExpiredToken) while destroying cluster ci in eu-west-1; ' +
            'run destroy again with fresh credentials (aws-actions/configure-aws-credentials); it finds the cluster by its tags'
        ],
        credentialsFailed: true
      })
      expect(commandNames()).toEqual(['DescribeKeyPairs'])
    })
  })

  it('never puts a credential into a leftover, even when EC2 quotes one', async () => {
    await withEnv(FAKE_CREDENTIALS, async () => {
      ec2.on(DescribeKeyPairsCommand).resolves({ KeyPairs: [] })
      instancesByQuery([], [])
      ec2
        .on(DescribeSecurityGroupsCommand)
        .rejects(
          ec2Error(
            'UnauthorizedOperation',
            `denied for ${FAKE_CREDENTIALS.AWS_ACCESS_KEY_ID} with token ${FAKE_CREDENTIALS.AWS_SESSION_TOKEN} (${FAKE_CREDENTIALS.AWS_SECRET_ACCESS_KEY})`
          )
        )
      const report = await destroyCluster(client, { cluster: 'ci', region: 'eu-west-1', pace: quickPace() })
      expect(report.leftovers).toEqual([
        'cluster ci in eu-west-1: deleting its security groups failed (UnauthorizedOperation: denied for *** with token *** (***)); run destroy again to remove what is left'
      ])
    })
  })
})
