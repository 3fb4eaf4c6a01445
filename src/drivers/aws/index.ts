import * as core from '@actions/core'
import type { Instance } from '@aws-sdk/client-ec2'
import { readFileSync } from 'node:fs'
import type { Inputs, NodeSpec } from '../../inputs/index.js'
import type { ClusterState } from '../../state/cluster.js'
import { run } from '../../tools/command.js'
import type { CreateContext, Driver } from '../driver.js'
import { findUbuntuImage, imageRootDevice } from '../ec2/ami.js'
import {
  createEc2Cluster,
  destroyKeptEc2,
  findKeptEc2,
  preflightEc2Cluster,
  removeEc2,
  renewKeptEc2,
  type Ec2Cluster,
  type Ec2State
} from '../ec2/cluster.js'
import { launchGroup, launchGroups, type LaunchGroup, type NodeImage } from './launch.js'
import { provisionNode, type NodePhase, type ProvisionedNode } from './node.js'
import { clusterVpc, nodeOptions, type InstanceOptions } from './options.js'

// driver `aws`: the action launches the instances itself (RunInstances), Docker installs at first
// boot from the user data while the instance boots, and one SSH session per node, to a host verified
// by the keys on its console, hands over the engine's certificate. Everything around the instances
// (group, key pair, tags, removal, sweep, kept clusters) is ../ec2/, shared with `amazonec2`.

export interface AwsState {
  /** The cluster's EC2 resources, recorded once its security group exists: post removes them through the EC2 API. */
  ec2?: Ec2State
}

/**
 * Read once: the same script for every node (it holds no secret and nothing of the node's). The
 * bundler copies it beside dist's code but drops its `#!` line, without which cloud-init would not
 * run it as a script: put back where missing.
 */
const USER_DATA = withShebang(readFileSync(new URL('./user-data.sh', import.meta.url), 'utf8'))

export function withShebang(script: string): string {
  return script.startsWith('#!') ? script : `#!/bin/bash\n${script}`
}
const PROGRESS_EVERY_MS = 15_000

interface Prepared {
  cluster: Ec2Cluster
  options: Map<NodeSpec, InstanceOptions>
  /** The AMI of each node's options: given, or Canonical's newest Ubuntu LTS for its CPU. */
  amis: Map<InstanceOptions, NodeImage>
}

/** From prepare to create: the EC2 client and the options, never saved. */
const prepared = new WeakMap<ClusterState, Prepared>()

function checkedOptions(inputs: Inputs): Map<NodeSpec, InstanceOptions> {
  const options = nodeOptions(inputs)
  clusterVpc([...options.values()])
  return options
}

export const awsDriver: Driver<AwsState> = {
  async preflight(inputs) {
    checkedOptions(inputs)
    preflightEc2Cluster(inputs)
    const ssh = await run('ssh', ['-V'], { allowFailure: true, timeoutMs: 10_000 }).catch(() => ({ code: 127 }))
    if (ssh.code !== 0) {
      throw new Error('driver `aws` hands each node its certificate over SSH and the runner has no `ssh`: install openssh-client in an earlier step')
    }
  },

  async prepare(context) {
    const { inputs, state } = context
    const awsState: AwsState = {}
    state.driverState = awsState
    context.saveState()
    const options = checkedOptions(inputs)
    const record = (ec2: Ec2State) => {
      awsState.ec2 = ec2
      context.saveState()
    }
    const cluster = await createEc2Cluster(inputs, state.dir, { vpcId: clusterVpc([...options.values()]), deadline: context.deadline, record })
    prepared.set(state, { cluster, options, amis: await resolveAmis(cluster, [...options.values()]) })
  },

  async create(nodes, context) {
    const ready = prepared.get(context.state)
    if (!ready) throw new Error('driver `aws`: create ran before prepare')
    const startedAt = Date.now()
    const phases = new Map<string, NodePhase>(nodes.map((node) => [node.name, 'launching']))
    const progress = setInterval(() => {
      const waiting = [...phases].map(([name, phase]) => `${name} (${phase})`)
      if (waiting.length) core.info(`still creating: ${waiting.join(', ')}`)
    }, PROGRESS_EVERY_MS)
    const groups = launchGroups(new Map(nodes.map((node) => [node, ready.options.get(node)!])))
    try {
      const launches = groups.map(async (group) => {
        const instances = await launchGroup(ready.cluster, group, ready.amis.get(group.options)!, USER_DATA, context.deadline)
        return createGroupNodes(group, instances, ready, context, startedAt, phases)
      })
      const made = everyOrThrow(await Promise.allSettled(launches)).flat()
      await summarizePhases(made)
      return nodes.map((node) => made.find((candidate) => candidate.node.name === node.name)!.node)
    } finally {
      clearInterval(progress)
    }
  },

  async remove(state) {
    return state.driverState?.ec2 ? removeEc2(state.name, state.driverState.ec2) : []
  },

  async findKept(lookup) {
    const first = checkedOptions(lookup.inputs).values().next().value
    return findKeptEc2(lookup.inputs, lookup.owner.repository, first?.privateAddressOnly ?? false)
  },

  async renewKept(inputs) {
    await renewKeptEc2(inputs)
  },

  async destroyKept(request) {
    return destroyKeptEc2(request.name, request.driver, request.awsRegion, request.owner.repository)
  }
}

async function createGroupNodes(
  group: LaunchGroup,
  instances: Instance[],
  ready: Prepared,
  context: CreateContext<AwsState>,
  startedAt: number,
  phases: Map<string, NodePhase>
): Promise<ProvisionedNode[]> {
  const provisioning = group.nodes.map(async (node, i) => {
    const made = await provisionNode(
      {
        node,
        options: group.options,
        cluster: ready.cluster,
        tls: context.tls,
        deadline: context.deadline,
        startedAt,
        onPhase: (phase) => phases.set(node.name, phase)
      },
      instances[i]
    )
    phases.delete(node.name)
    context.nodeReady(made.node, { engineAnswers: true })
    return made
  })
  return everyOrThrow(await Promise.allSettled(provisioning))
}

/** Every value, once all have settled (nothing is left running), or one error with every failure's message. */
function everyOrThrow<T>(results: PromiseSettledResult<T>[]): T[] {
  const errors = results.flatMap((result) => (result.status === 'rejected' ? [(result.reason as Error).message] : []))
  if (errors.length) throw new Error(errors.join('\n'))
  return results.map((result) => (result as PromiseFulfilledResult<T>).value)
}

async function resolveAmis(cluster: Ec2Cluster, options: InstanceOptions[]): Promise<Map<InstanceOptions, NodeImage>> {
  // One lookup per AMI given, and per instance type otherwise (the CPU decides Ubuntu's image).
  const found = new Map<string, Promise<NodeImage>>()
  const imageOf = (option: InstanceOptions): Promise<NodeImage> => {
    const key = option.ami ?? option.instanceType
    if (!found.has(key)) {
      found.set(
        key,
        option.ami
          ? imageRootDevice(cluster.client, cluster.region, option.ami, '--ami').then((rootDeviceName) => ({ imageId: option.ami!, rootDeviceName }))
          : findUbuntuImage(cluster.client, cluster.region, option.instanceType, '--ami').then((image) => {
              core.info(`AMI ${image.imageId} for ${option.instanceType}: ${image.name}`)
              return { imageId: image.imageId, rootDeviceName: image.rootDeviceName }
            })
      )
    }
    return found.get(key)!
  }
  return new Map(await Promise.all(options.map(async (option) => [option, await imageOf(option)] as const)))
}

/** Where each node's time went, in the job summary: the GitHub job compares the drivers by it. */
async function summarizePhases(made: ProvisionedNode[]): Promise<void> {
  if (!process.env.GITHUB_STEP_SUMMARY || !made.length) return
  const names = made[0].phases.map(([what]) => what)
  await core.summary
    .addHeading('Nodes of driver aws: seconds from the start of creating', 4)
    .addTable([
      [{ data: 'Node', header: true }, { data: 'Instance', header: true }, ...names.map((name) => ({ data: name, header: true }))],
      ...made.map(({ node, instanceId, phases }) => [node.name, instanceId, ...phases.map(([, seconds]) => seconds.toFixed(1))])
    ])
    .write()
}
