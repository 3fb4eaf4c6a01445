import { rmSync } from 'node:fs'
import { rm, writeFile } from 'node:fs/promises'
import path from 'node:path'
import * as core from '@actions/core'
import { makePrivateDir } from '../../engine/tls.js'
import type { Inputs } from '../../inputs/index.js'
import type { Deadline } from '../../tools/wait.js'
import { findUbuntuImage } from '../ec2/ami.js'
import { ec2Endpoint } from '../ec2/client.js'
import { createEc2Cluster, findKeptEc2, preflightEc2Cluster, type Ec2State } from '../ec2/cluster.js'
import { machineTagsOption } from '../ec2/tags.js'
import { flagValue, hasFlag } from './cli.js'

// docker-machine's amazonec2 driver creates the instances; the action owns everything around them
// (security group, key pair, tags, credentials, removal: ../ec2/), because docker-machine's own
// choices cannot form a swarm and can leak paid resources.

/** Flags the action sets itself; the user gives their values through inputs instead. */
const OWNED_FLAGS: Record<string, string> = {
  '--amazonec2-region': 'the input `aws-region`',
  '--amazonec2-security-group': 'the inputs `allowed-cidrs` and `published-ports` (the action makes the cluster its own group)',
  '--amazonec2-security-group-readonly': 'nothing: the action makes the cluster its own group',
  '--amazonec2-keypair-name': 'nothing: the action imports the cluster its own key pair',
  '--amazonec2-ssh-keypath': 'nothing: the action imports the cluster its own key pair',
  '--amazonec2-access-key': 'the environment (aws-actions/configure-aws-credentials); credentials on a command line would reach logs',
  '--amazonec2-secret-key': 'the environment (aws-actions/configure-aws-credentials); credentials on a command line would reach logs',
  '--amazonec2-session-token': 'the environment (aws-actions/configure-aws-credentials); credentials on a command line would reach logs'
}

const CREDENTIAL_VARIABLES = ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN']
/** docker-machine's default instance type (drivers/amazonec2 defaultInstanceType). */
const DEFAULT_INSTANCE_TYPE = 't2.micro'

/** Every create flag the user gave, across driver-opts and every node's opts. */
const allOpts = (inputs: Inputs): string[] => [...inputs.machine.driverOpts, ...inputs.nodes.flatMap((node) => node.createOpts)]

export function preflightEc2(inputs: Inputs): void {
  for (const flag of Object.keys(OWNED_FLAGS)) {
    if (hasFlag(allOpts(inputs), flag))
      throw new Error(`inputs \`driver-opts\`/\`*-opts\`/\`nodes\`: drop ${flag}; the action sets it from ${OWNED_FLAGS[flag]}`)
  }
  preflightEc2Cluster(inputs)
}

export interface Ec2Setup {
  createFlags: string[]
  /** docker-machine's environment: credentials through a file, never through variables it would store. */
  env: NodeJS.ProcessEnv
  /** Deletes the credentials file once the machines exist: nothing later reads it. */
  dispose: () => Promise<void>
}

/**
 * Makes the cluster's security group and key pair (both tagged), resolves the AMI, and writes the
 * credentials docker-machine reads into a private file. `record` saves the state once the group exists,
 * before anything else does.
 */
export async function prepareEc2(inputs: Inputs, dir: string, deadline: Deadline, record: (state: Ec2State) => void): Promise<Ec2Setup> {
  const opts = allOpts(inputs)
  const cluster = await createEc2Cluster(inputs, dir, { vpcId: flagValue(opts, '--amazonec2-vpc-id'), deadline, record })
  const { region } = cluster
  const flags = [
    ...['--amazonec2-region', region, '--amazonec2-vpc-id', cluster.vpcId],
    ...['--amazonec2-security-group', cluster.groupName, '--amazonec2-security-group-readonly'],
    ...['--amazonec2-keypair-name', cluster.keyName, '--amazonec2-ssh-keypath', cluster.keyPath],
    ...['--amazonec2-tags', [flagValue(opts, '--amazonec2-tags'), machineTagsOption(cluster.labels)].filter(Boolean).join(',')]
  ]
  if (!hasFlag(opts, '--amazonec2-ami')) {
    const image = await findUbuntuImage(cluster.client, region, flagValue(opts, '--amazonec2-instance-type') ?? DEFAULT_INSTANCE_TYPE)
    core.info(`AMI ${image.imageId}: ${image.name}`)
    flags.push('--amazonec2-ami', image.imageId)
  }
  const endpoint = ec2Endpoint()
  if (endpoint && !hasFlag(opts, '--amazonec2-endpoint')) flags.push('--amazonec2-endpoint', endpoint)
  if (endpoint || hasFlag(opts, '--amazonec2-endpoint')) {
    // With an endpoint, docker-machine takes --amazonec2-zone as the whole availability zone, not as
    // a letter after the region (getRegionZone): its default `a` would be no zone EC2 knows.
    const zone = flagValue(opts, '--amazonec2-zone') ?? 'a'
    if (/^[a-z]$/.test(zone)) flags.push('--amazonec2-zone', `${region}${zone}`)
  }
  const awsDir = path.join(dir, 'aws')
  return { createFlags: flags, env: await credentialsFileEnv(awsDir), dispose: () => rm(awsDir, { recursive: true, force: true }) }
}

/** A kept amazonec2 cluster's nodes, from its instances' tags (docker-machine names an instance after its machine). */
export const findKeptMachines = (inputs: Inputs, repository: string) =>
  findKeptEc2(inputs, repository, hasFlag(allOpts(inputs), '--amazonec2-private-address-only'))

/**
 * docker-machine writes the credentials it finds in flags or variables into each machine's
 * config.json, in plain text, and prefers them later. Given through the shared credentials file
 * instead (its SDK's next provider), they stay out of the store; the file goes with the cluster.
 */
async function credentialsFileEnv(awsDir: string): Promise<NodeJS.ProcessEnv> {
  await makePrivateDir(awsDir)
  const file = path.join(awsDir, 'credentials')
  const [keyId, secret, token] = CREDENTIAL_VARIABLES.map((name) => process.env[name]?.trim())
  const lines = [
    '[default]',
    `aws_access_key_id = ${keyId}`,
    `aws_secret_access_key = ${secret}`,
    ...(token ? [`aws_session_token = ${token}`] : []),
    ''
  ]
  await writeFile(file, lines.join('\n'), { mode: 0o600 })
  // A cancel ends main with process.exit, before create's own cleanup: the file must not wait for post.
  process.once('exit', () => rmSync(awsDir, { recursive: true, force: true }))
  const env: NodeJS.ProcessEnv = { ...process.env, AWS_SHARED_CREDENTIALS_FILE: file, AWS_PROFILE: 'default' }
  // AWS_ACCESS_KEY and AWS_SECRET_KEY are the older names its environment provider also reads.
  for (const name of [...CREDENTIAL_VARIABLES, 'AWS_ACCESS_KEY', 'AWS_SECRET_KEY', 'AWS_DEFAULT_PROFILE']) delete env[name]
  return env
}
