import * as core from '@actions/core'
import type { Instance } from '@aws-sdk/client-ec2'
import path from 'node:path'
import { Engine, ENGINE_PORT } from '../../engine/api.js'
import type { EngineNode } from '../../engine/node.js'
import { issueCertificate, readClientTls, type RunTls } from '../../engine/tls.js'
import type { NodeSpec } from '../../inputs/index.js'
import { pollUntil, type Deadline } from '../../tools/wait.js'
import type { Ec2Cluster } from '../ec2/cluster.js'
import { waitForHostKeys, writeKnownHosts } from './host-keys.js'
import { waitRunning } from './launch.js'
import type { InstanceOptions } from './options.js'
import { provisionOverSsh, provisionScript } from './provision.js'

// One node, from its launched instance to an engine that answers with mutual TLS: the instance
// runs, its console shows its host keys, one SSH session hands over the engine's certificate and
// restarts it, and the engine answers. Each phase's time goes to the log, where the GitHub job reads it.

export type NodePhase = 'launching' | 'booting' | 'waiting for its host keys' | 'provisioning over SSH' | 'waiting for its engine'

export interface NodeWork {
  node: NodeSpec
  options: InstanceOptions
  cluster: Ec2Cluster
  tls: RunTls
  deadline: Deadline
  /** When main began creating nodes: each phase is timed from there. */
  startedAt: number
  onPhase: (phase: NodePhase) => void
}

export interface ProvisionedNode {
  node: EngineNode
  instanceId: string
  /** Seconds from main's start of creating to each phase's end, in order. */
  phases: Array<[string, number]>
}

export async function provisionNode(work: NodeWork, launched: Instance): Promise<ProvisionedNode> {
  const { node, options, cluster, deadline } = work
  const authority = work.tls.authority
  if (!authority) throw new Error('driver `aws`: the run has no CA to issue the nodes’ certificates with')
  const phases: Array<[string, number]> = []
  const mark = (what: string) => phases.push([what, (Date.now() - work.startedAt) / 1000])
  mark('launched')
  work.onPhase('booting')
  const instance = await waitRunning(cluster, launched.InstanceId!, deadline, node.name)
  const privateIp = instance.PrivateIpAddress!
  const ip = options.privateAddressOnly ? privateIp : instance.PublicIpAddress
  if (!ip) {
    throw new Error(
      `${node.name}'s instance ${instance.InstanceId} has no public address: its subnet gives none; give a subnet that does (--subnet-id), or --private-address-only on a runner inside the VPC`
    )
  }
  mark('running')

  work.onPhase('waiting for its host keys')
  const keys = await waitForHostKeys(cluster.client, instance.InstanceId!, deadline, node.name)
  const knownHosts = path.join(path.dirname(cluster.keyPath), `known_hosts-${node.name}`)
  await writeKnownHosts(knownHosts, ip, keys)
  mark('host keys')

  work.onPhase('provisioning over SSH')
  const server = await issueCertificate(authority, node.name, 'server', { ips: [...new Set([ip, privateIp])], dnsNames: [node.name] })
  const target = { instanceId: instance.InstanceId!, address: ip, user: options.sshUser, keyPath: cluster.keyPath, knownHosts }
  await provisionOverSsh(target, provisionScript({ ca: authority.cert, server }, deadline.remainingMs() / 1000), deadline, node.name)
  mark('provisioned')

  work.onPhase('waiting for its engine')
  const dockerHost = `tcp://${ip}:${ENGINE_PORT}`
  const engine = new Engine(dockerHost, await readClientTls(work.tls.client))
  try {
    await pollUntil(deadline, `${node.name}'s engine at ${dockerHost}`, () => engine.ping(2000), { intervalMs: 500 })
  } finally {
    engine.close()
  }
  mark('engine answers')
  core.info(`${node.name} (${instance.InstanceId}, ${ip}): ${phases.map(([what, seconds]) => `${what} ${seconds.toFixed(1)} s`).join(', ')}`)
  return { node: { name: node.name, role: node.role, ip, advertiseIp: privateIp, dockerHost }, instanceId: instance.InstanceId!, phases }
}
