import * as core from '@actions/core'
import type { EC2Client } from '@aws-sdk/client-ec2'
import path from 'node:path'
import { writeFile } from 'node:fs/promises'
import { makePrivateDir, writeSecretFiles } from '../../engine/tls.js'
import type { Inputs } from '../../inputs/index.js'
import { Deadline } from '../../tools/wait.js'
import { checkCredentials, createEc2Client, resolveRegion } from './client.js'
import { destroyCluster } from './destroy.js'
import { generateSshKey, importKeyPair } from './key-pairs.js'
import { adminCidrs } from './runner-address.js'
import { createSecurityGroup, securityGroupName } from './security-group.js'
import { clusterLabels, type ClusterLabels } from './tags.js'

// What every EC2 cluster has around its instances, whichever driver launches them (`aws` itself,
// `amazonec2` through docker-machine): a tagged security group and key pair of its own, and their
// removal through the EC2 API with whatever credentials post has.

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

const DESTROY_SECONDS = 600
/** A destroy by name has a job of its own: it may wait for every instance to terminate. */
const DESTROY_BY_NAME_SECONDS = 900

/** Fails, naming what is missing, before anything is created. */
export function preflightEc2Cluster(inputs: Inputs): void {
  checkCredentials(process.env, inputs.driver)
  resolveRegion(inputs.aws.region)
  if (!inputs.cleanup && !inputs.tls) {
    throw new Error(
      `inputs \`tls-ca-cert\`, \`tls-ca-key\`, \`tls-client-cert\`, \`tls-client-key\`: a kept ${inputs.driver} cluster (\`cleanup: false\`) is reached by later jobs, on other runners, only with the CA it was made with: give your own (the README shows how to make one and keep it in secrets)`
    )
  }
  if (!process.env.GITHUB_REPOSITORY)
    throw new Error(`driver \`${inputs.driver}\` tags every resource with its repository: GITHUB_REPOSITORY must be set, as GitHub Actions sets it`)
}

export interface Ec2Cluster {
  client: EC2Client
  region: string
  labels: ClusterLabels
  vpcId: string
  groupId: string
  groupName: string
  keyName: string
  /** The cluster's SSH key (0600, in a 0700 dir of the cluster's), removed with the cluster's dir. */
  keyPath: string
}

/**
 * Makes the cluster's security group and key pair, both tagged at creation. `record` saves the state
 * once the group exists, before anything else does, and again once the key pair does.
 */
export async function createEc2Cluster(
  inputs: Inputs,
  dir: string,
  options: { vpcId?: string; deadline: Deadline; record: (state: Ec2State) => void }
): Promise<Ec2Cluster> {
  const region = resolveRegion(inputs.aws.region)
  const labels = clusterLabels(inputs.name, inputs.ttlSeconds)
  // The key pair is named like the group: one of each per cluster of a repository.
  const keyName = securityGroupName(labels)
  const state: Ec2State = { region, repository: labels.repository, since: new Date().toISOString(), run: labels.run }
  const client = createEc2Client(region)
  const cidrs = await adminCidrs(inputs.aws.allowedCidrs)
  const group = await createSecurityGroup(client, {
    labels,
    region,
    vpcId: options.vpcId,
    ingress: { adminCidrs: cidrs, publishedPorts: inputs.aws.publishedPorts, publishToInternet: inputs.aws.publishToInternet },
    pace: { deadline: options.deadline },
    // A group's name is unique in its VPC: creating it claims the cluster's name for this run. Only
    // then may post remove what carries the cluster's tags; a group of that name that exists already
    // is another run's cluster (kept, or still running), and a main failing on it must leave it be.
    onCreated: () => options.record(state)
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
  options.record({ ...state, keyName })
  return { client, region, labels, vpcId: group.vpcId, groupId: group.groupId, groupName: group.groupName, keyName, keyPath }
}

export { findKeptEc2, renewKeptEc2 } from './find-kept.js'

/** The destroy action's: `repository`'s kept cluster by its name, found by its tags, with the credentials the job has. */
export async function destroyKeptEc2(
  cluster: string,
  driver: string,
  regionInput: string,
  repository: string
): Promise<{ removed: string[]; leftovers: string[] }> {
  checkCredentials(process.env, driver)
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
    // Only the cluster's own key pair: every instance is launched with it (docker-machine imports none of
    // its own), and a key pair named like a machine is someone else's, as is an instance launched with it.
    keyNames: state.keyName ? [state.keyName] : [],
    keyNamesSince: new Date(state.since),
    pace: { deadline: new Deadline(DESTROY_SECONDS, `${DESTROY_SECONDS} s to remove the EC2 resources`) }
  })
  for (const line of report.removed) core.info(`removed ${line}`)
  return report.leftovers
}
