import * as core from '@actions/core'
import { rmSync } from 'node:fs'
import { rm, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { makePrivateDir, writeSecretFiles } from '../../../engine/tls.js'
import type { Inputs } from '../../../inputs/index.js'
import { Deadline } from '../../../tools/wait.js'
import { flagValue, hasFlag } from '../cli.js'
import { findUbuntuImage } from './ami.js'
import { checkCredentials, createEc2Client, ec2Endpoint, resolveRegion } from './client.js'
import { destroyCluster } from './destroy.js'
import { generateSshKey, importKeyPair } from './key-pairs.js'
import { adminCidrs } from './runner-address.js'
import { createSecurityGroup, securityGroupName } from './security-group.js'
import { clusterLabels, machineTagsOption } from './tags.js'

// docker-machine's amazonec2 driver creates the instances; the action owns everything around them
// (security group, key pair, tags, credentials, removal), because docker-machine's own choices
// cannot form a swarm and can leak paid resources.

/**
 * What post needs to find the cluster's EC2 resources, recorded as soon as the cluster's security group
 * exists (the first of them, and this run's claim on the name). A cancel in the instant between the group's
 * creation and this record leaves the group, tagged with its expiry: the sweep removes it.
 */
export interface Ec2State {
  region: string
  repository: string
  /** When main started creating: an instance with a recorded key name launched earlier is someone else's. */
  since: string
  /** The run whose resources these are (its `setup-swarm:run` tag): post removes only those, never a same-named cluster's. */
  run: string
  /** The cluster's own key pair, recorded once this run imported it: even an instance docker-machine never tagged is found by it. */
  keyName?: string
}

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
const DESTROY_SECONDS = 600
/** A destroy by name has a job of its own: it may wait for every instance to terminate. */
const DESTROY_BY_NAME_SECONDS = 900

/** Every create flag the user gave, across driver-opts and every node's opts. */
const allOpts = (inputs: Inputs): string[] => [...inputs.machine.driverOpts, ...inputs.nodes.flatMap((node) => node.createOpts)]

export function preflightEc2(inputs: Inputs): void {
  for (const flag of Object.keys(OWNED_FLAGS)) {
    if (hasFlag(allOpts(inputs), flag))
      throw new Error(`inputs \`driver-opts\`/\`*-opts\`/\`nodes\`: drop ${flag}; the action sets it from ${OWNED_FLAGS[flag]}`)
  }
  checkCredentials()
  resolveRegion(inputs.aws.region)
  if (!inputs.cleanup && !inputs.tls) {
    throw new Error(
      'inputs `tls-ca-cert`, `tls-ca-key`, `tls-client-cert`, `tls-client-key`: a kept amazonec2 cluster (`cleanup: false`) is reached by later jobs, on other runners, only with the CA it was made with: give your own (the README shows how to make one and keep it in secrets)'
    )
  }
  if (!process.env.GITHUB_REPOSITORY)
    throw new Error('driver `amazonec2` tags every resource with its repository: GITHUB_REPOSITORY must be set, as GitHub Actions sets it')
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
  const region = resolveRegion(inputs.aws.region)
  const labels = clusterLabels(inputs.name, inputs.ttlSeconds)
  // The key pair is named like the group: one of each per cluster of a repository.
  const keyName = securityGroupName(labels)
  const state: Ec2State = { region, repository: labels.repository, since: new Date().toISOString(), run: labels.run }
  const client = createEc2Client(region)
  const opts = allOpts(inputs)
  const cidrs = await adminCidrs(inputs.aws.allowedCidrs)
  const group = await createSecurityGroup(client, {
    labels,
    region,
    vpcId: flagValue(opts, '--amazonec2-vpc-id'),
    ingress: { adminCidrs: cidrs, publishedPorts: inputs.aws.publishedPorts, publishToInternet: inputs.aws.publishToInternet },
    pace: { deadline },
    // A group's name is unique in its VPC: creating it claims the cluster's name for this run. Only
    // then may post remove what carries the cluster's tags; a group of that name that exists already
    // is another run's cluster (kept, or still running), and a main failing on it must leave it be.
    onCreated: () => record(state)
  })
  core.info(`security group ${group.groupName}: 22/tcp and 2376/tcp from ${cidrs.join(', ')}; swarm ports only between the nodes`)

  const sshDir = path.join(dir, 'ssh')
  await makePrivateDir(sshDir)
  const sshKey = generateSshKey()
  const keyPath = path.join(sshDir, 'id_rsa')
  await writeSecretFiles([[keyPath, sshKey.privateKey]])
  // docker-machine copies the key and the `.pub` beside it into each machine's store, with
  // --amazonec2-keypair-name too (createKeyPair), and fails the create when the `.pub` is missing.
  await writeFile(`${keyPath}.pub`, `${sshKey.publicKey}\n`, { mode: 0o644 })
  await importKeyPair(client, keyName, sshKey.publicKey, labels)
  // Only now: a key pair of that name that existed already is another cluster's, and post deletes recorded key pairs by name.
  record({ ...state, keyName })

  const flags = [
    ...['--amazonec2-region', region, '--amazonec2-vpc-id', group.vpcId],
    ...['--amazonec2-security-group', group.groupName, '--amazonec2-security-group-readonly'],
    ...['--amazonec2-keypair-name', keyName, '--amazonec2-ssh-keypath', keyPath],
    ...['--amazonec2-tags', [flagValue(opts, '--amazonec2-tags'), machineTagsOption(labels)].filter(Boolean).join(',')]
  ]
  if (!hasFlag(opts, '--amazonec2-ami')) {
    const image = await findUbuntuImage(client, region, flagValue(opts, '--amazonec2-instance-type') ?? DEFAULT_INSTANCE_TYPE)
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

export { findKeptEc2, renewKeptEc2 } from './find-kept.js'

/** The destroy action's: `repository`'s kept cluster by its name, found by its tags, with the credentials the job has. */
export async function destroyKeptEc2(cluster: string, regionInput: string, repository: string): Promise<{ removed: string[]; leftovers: string[] }> {
  checkCredentials()
  const region = resolveRegion(regionInput)
  core.info(`destroying cluster ${cluster} in ${region}`)
  return destroyCluster(createEc2Client(region), {
    cluster,
    region,
    repository,
    pace: { deadline: new Deadline(DESTROY_BY_NAME_SECONDS, `${DESTROY_BY_NAME_SECONDS} s to destroy the cluster`) }
  })
}

/** Removes the cluster's instances, key pairs and security group through the EC2 API, with the credentials post has now. */
export async function removeEc2(cluster: string, state: Ec2State): Promise<string[]> {
  const report = await destroyCluster(createEc2Client(state.region), {
    cluster,
    region: state.region,
    repository: state.repository,
    run: state.run,
    // Only the cluster's own key pair: every machine is launched with it (docker-machine imports none of
    // its own), and a key pair named like a machine is someone else's, as is an instance launched with it.
    keyNames: state.keyName ? [state.keyName] : [],
    keyNamesSince: new Date(state.since),
    pace: { deadline: new Deadline(DESTROY_SECONDS, `${DESTROY_SECONDS} s to remove the EC2 resources`) }
  })
  for (const line of report.removed) core.info(`removed ${line}`)
  return report.leftovers
}
