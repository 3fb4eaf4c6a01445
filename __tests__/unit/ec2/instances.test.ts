import { DescribeInstancesCommand, TerminateInstancesCommand, type Instance } from '@aws-sdk/client-ec2'
import { describe, expect, it } from '@jest/globals'
import { findClusterInstances, terminateInstances, waitTerminated } from '../../../src/drivers/ec2/instances.js'
import { ec2Error, mockEc2, quickPace, shortPace } from './helpers.js'

const { ec2, client } = mockEc2()

const LIVE = { Name: 'instance-state-name', Values: ['pending', 'running', 'shutting-down', 'stopping', 'stopped'] }
const page = (instances: Instance[], NextToken?: string) => ({ Reservations: [{ Instances: instances }], NextToken })
const describeInputs = () => ec2.commandCalls(DescribeInstancesCommand).map((call) => call.args[0].input)

describe('findClusterInstances', () => {
  it('reads every page of the tagged instances, skipping terminated ones', async () => {
    ec2
      .on(DescribeInstancesCommand)
      .resolvesOnce(page([{ InstanceId: 'i-1' }], 'page-2'))
      .resolvesOnce(page([{ InstanceId: 'i-2' }]))
    const found = await findClusterInstances(client, 'ci', { repository: 'octo/app' })
    expect(found.map((instance) => instance.InstanceId)).toEqual(['i-1', 'i-2'])
    const filters = [{ Name: 'tag:setup-swarm:cluster', Values: ['ci'] }, { Name: 'tag:setup-swarm:repository', Values: ['octo/app'] }, LIVE]
    expect(describeInputs()).toEqual([
      { Filters: filters, NextToken: undefined, MaxResults: 1000 },
      { Filters: filters, NextToken: 'page-2', MaxResults: 1000 }
    ])
  })

  it('also finds instances by recorded key pair names, unless another cluster or an older launch owns them', async () => {
    const since = new Date('2025-06-01T10:00:00Z')
    ec2
      .on(DescribeInstancesCommand)
      .resolvesOnce(page([{ InstanceId: 'i-tagged', KeyName: 'ci-manager-1' }]))
      .resolvesOnce(
        page([
          { InstanceId: 'i-tagged', KeyName: 'ci-manager-1' },
          { InstanceId: 'i-half-made', KeyName: 'ci-worker-1', LaunchTime: new Date('2025-06-01T10:02:00Z') },
          { InstanceId: 'i-other-cluster', KeyName: 'ci-worker-1', Tags: [{ Key: 'setup-swarm:cluster', Value: 'other' }] },
          { InstanceId: 'i-older', KeyName: 'ci-worker-1', LaunchTime: new Date('2024-01-01T00:00:00Z') }
        ])
      )
    const found = await findClusterInstances(client, 'ci', {
      keyNames: [
        { name: 'ci-manager-1', since },
        { name: 'ci-worker-1', since }
      ]
    })
    expect(found.map((instance) => instance.InstanceId)).toEqual(['i-tagged', 'i-half-made'])
    expect(describeInputs()[1]).toEqual({
      Filters: [{ Name: 'key-name', Values: ['ci-manager-1', 'ci-worker-1'] }, LIVE],
      NextToken: undefined,
      MaxResults: 1000
    })
  })
})

describe('terminateInstances', () => {
  it('terminates all in one call', async () => {
    ec2.on(TerminateInstancesCommand).resolves({})
    expect(await terminateInstances(client, ['i-1', 'i-2'], 'eu-west-1')).toEqual({ terminating: ['i-1', 'i-2'], leftovers: [] })
    expect(ec2.commandCalls(TerminateInstancesCommand).map((call) => call.args[0].input)).toEqual([{ InstanceIds: ['i-1', 'i-2'] }])
  })

  it('falls back to one call each when one refuses, so the others still go; one already gone counts as gone', async () => {
    ec2.on(TerminateInstancesCommand).rejectsOnce(ec2Error('OperationNotPermitted', 'termination protection'))
    ec2.on(TerminateInstancesCommand, { InstanceIds: ['i-1'] }).resolves({})
    ec2.on(TerminateInstancesCommand, { InstanceIds: ['i-gone'] }).rejects(ec2Error('InvalidInstanceID.NotFound'))
    ec2.on(TerminateInstancesCommand, { InstanceIds: ['i-protected'] }).rejects(ec2Error('OperationNotPermitted', 'termination protection'))
    const result = await terminateInstances(client, ['i-1', 'i-gone', 'i-protected'], 'eu-west-1')
    expect(result).toEqual({
      terminating: ['i-1'],
      leftovers: [
        'instance i-protected in eu-west-1: OperationNotPermitted: termination protection; ' +
          'terminate it by hand: aws ec2 terminate-instances --region eu-west-1 --instance-ids i-protected'
      ]
    })
  })
})

describe('waitTerminated', () => {
  it('polls until every instance is terminated, telling progress', async () => {
    ec2
      .on(DescribeInstancesCommand)
      .resolvesOnce(
        page([
          { InstanceId: 'i-1', State: { Name: 'shutting-down' } },
          { InstanceId: 'i-2', State: { Name: 'terminated' } }
        ])
      )
      .resolvesOnce(page([{ InstanceId: 'i-1', State: { Name: 'terminated' } }]))
    const progress: unknown[] = []
    expect(await waitTerminated(client, ['i-1', 'i-2'], quickPace(), (pending) => progress.push(pending))).toEqual([])
    expect(progress).toEqual([[{ id: 'i-1', state: 'shutting-down' }]])
    expect(describeInputs()[0]).toEqual({ Filters: [{ Name: 'instance-id', Values: ['i-1', 'i-2'] }], NextToken: undefined, MaxResults: 1000 })
  })

  it('returns what is still shutting down at the deadline', async () => {
    ec2.on(DescribeInstancesCommand).resolves(page([{ InstanceId: 'i-1', State: { Name: 'shutting-down' } }]))
    expect(await waitTerminated(client, ['i-1'], shortPace(40))).toEqual([{ id: 'i-1', state: 'shutting-down' }])
  })
})
