import * as core from '@actions/core'
import { access, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { parse as parseYaml } from 'yaml'
import { Engine, type SwarmService } from '../engine/api.js'
import { fullReference } from '../engine/reference.js'
import { nodeDocker, runnerDocker, type DockerCli } from '../engine/docker-cli.js'
import type { RunnerImage } from '../engine/image-identity.js'
import { readClientTls, type ClientCertDir } from '../engine/tls.js'
import type { StackInputs } from '../inputs/index.js'
import type { SwarmMember } from '../swarm/members.js'
import { GiveUp, pollUntil, type Deadline } from '../tools/wait.js'
import { describeProgress, givenUp, serviceProgress, type ServiceMode, type ServiceProgress } from './convergence.js'

// The user's stack, deployed once the swarm formed and the images are in every node, and waited
// for until every service has converged.

export interface StackPlan extends StackInputs {
  /** The services' names in the compose files (without the stack's prefix). */
  services: string[]
  /** Service → the reference in \`images\` of the image it runs, for services whose image the action loads (see pinnedImages). */
  pins: Record<string, string>
  /** The compose file version of the merged files, for the pins' own file. */
  version?: string
}

export interface PublishedPort {
  protocol: string
  target: number
  published?: number
  mode: 'ingress' | 'host'
  /** `ip:port` where the runner reaches it: the first of `addresses`. */
  address?: string
  /** Every node address that serves it: each node for the routing mesh, the task's nodes in host mode. */
  addresses: string[]
}

export interface ServiceOutput {
  name: string
  mode: ServiceMode
  replicas: number
  running: number
  image: string
  ports: PublishedPort[]
}

const STACK_LABEL = 'com.docker.stack.namespace'
/** A task counts as running once it stayed so this long: a command that exits at once does not. */
const STABLE_MS = 250
const CLI_TIMEOUT_MS = 30_000
const LOG_TAIL_LINES = 20

/** The compose files as the CLI merges them, read and checked before anything is created. */
export interface StackRead extends StackInputs {
  services: Record<string, { image?: string }>
  version?: string
}

export async function readStack(stack: StackInputs): Promise<StackRead> {
  for (const file of stack.files) {
    await access(file).catch(() => {
      throw new Error(`input \`stack\`: cannot read the compose file ${file} (from ${process.cwd()})`)
    })
  }
  // The CLI's own loader merges and interpolates the files as deploy will, without any engine.
  const config = await runnerDocker()(['stack', 'config', ...stack.files.flatMap((file) => ['--compose-file', file])], {
    allowFailure: true,
    timeoutMs: CLI_TIMEOUT_MS
  })
  if (config.code !== 0) throw new Error(`input \`stack\`: the compose files do not load: ${config.stderr.trim() || config.stdout.trim()}`)
  const merged = (parseYaml(config.stdout) ?? {}) as { version?: string; services?: Record<string, { image?: string }> }
  if (Object.keys(merged.services ?? {}).length === 0) throw new Error(`input \`stack\`: ${stack.files.join(', ')} define no service`)
  return { ...stack, services: merged.services!, version: merged.version }
}

/** The stack's plan: its services, and the images the action pins. */
export function planStack(read: StackRead, images: RunnerImage[]): StackPlan {
  return { ...read, services: Object.keys(read.services), pins: pinnedImages(read.services, images) }
}

/**
 * Services whose image is one the action loads run it by the ID it has on the nodes: a node then
 * never asks a registry for it (with a name, each task's start tries to pull first, and a registry
 * image of the same name would win). The nodes' ID, not the runner's: a store of another kind counts
 * IDs otherwise (engine/image-identity.ts). Here each service is mapped to its image's reference in \`images\`.
 */
export function pinnedImages(services: Record<string, { image?: string }>, images: RunnerImage[]): Record<string, string> {
  const references = new Map(images.map((image) => [fullReference(image.reference), image.reference]))
  return Object.fromEntries(
    Object.entries(services)
      .filter(([, service]) => service.image && references.has(fullReference(service.image)))
      .map(([name, service]) => [name, references.get(fullReference(service.image!))!])
  )
}

export interface DeployOptions {
  members: SwarmMember[]
  client: ClientCertDir
  /** Where the pins' compose file goes (the cluster's dir). */
  dir: string
  /** Reference in \`images\` → the ID every node holds it under (LoadReport.nodeIds). */
  imageIds: Record<string, string>
  deadline: Deadline
}

/** Deploys the stack through the first manager, then waits until every service converged. */
export async function deployStack(plan: StackPlan, options: DeployOptions): Promise<ServiceOutput[]> {
  const leader = options.members[0]
  const docker = nodeDocker(leader.dockerHost, options.client)
  const files = [...plan.files]
  const pins = Object.entries(plan.pins).flatMap(([service, reference]) =>
    options.imageIds[reference] ? [[service, options.imageIds[reference]]] : []
  )
  if (pins.length) {
    const pinsFile = path.join(options.dir, 'stack-images.yml')
    const services = Object.fromEntries(pins.map(([service, id]) => [service, { image: id }]))
    await writeFile(pinsFile, JSON.stringify({ ...(plan.version ? { version: plan.version } : {}), services }, null, 2))
    files.push(pinsFile)
    core.info(`by image ID, so that no node asks a registry: ${pins.map(([service]) => service).join(', ')}`)
  }
  const started = Date.now()
  // --resolve-image never: the CLI asks no registry for a digest either. --prune: a redeploy into a
  // kept swarm removes the services the compose files no longer have.
  const deploy = await docker(
    ['stack', 'deploy', '--prune', '--resolve-image', 'never', ...files.flatMap((file) => ['--compose-file', file]), plan.name],
    {
      allowFailure: true,
      timeoutMs: Math.max(1000, Math.min(options.deadline.remainingMs(), 120_000))
    }
  )
  if (deploy.code !== 0) throw new Error(`docker stack deploy ${plan.name} failed: ${deploy.stderr.trim() || deploy.stdout.trim()}`)
  core.info(deploy.stdout.trim())
  const deployed = Date.now()

  const tls = await readClientTls(options.client)
  const manager = new Engine(leader.dockerHost, tls)
  try {
    const { services, progress } = await waitForConvergence(plan, manager, docker, options.deadline)
    const outputs = services.map((service) => serviceOutput(service, progress.get(service.ID)!, options.members))
    const took = (from: number) => ((Date.now() - from) / 1000).toFixed(2)
    core.info(
      `stack ${plan.name} converged: ${describeProgress([...progress.values()])} (deployed in ${((deployed - started) / 1000).toFixed(2)} s, converged ${took(deployed)} s later)`
    )
    return outputs
  } finally {
    manager.close()
  }
}

async function waitForConvergence(plan: StackPlan, manager: Engine, docker: DockerCli, deadline: Deadline) {
  const expected = plan.services.map((service) => `${plan.name}_${service}`)
  const firstSeenRunning = new Map<string, number>()
  let services: SwarmService[] = []
  let progress = new Map<string, ServiceProgress>()
  const converging = () => [...progress.values()].filter((service) => !service.converged)
  const missing = () => expected.filter((name) => !services.some((service) => service.Spec.Name === name))
  try {
    await pollUntil(
      deadline,
      `the services of stack ${plan.name} to converge`,
      async () => {
        services = await manager.services({ label: [`${STACK_LABEL}=${plan.name}`] })
        const tasks = services.length ? await manager.tasks({ service: services.map((service) => service.ID) }) : []
        const now = Date.now()
        progress = new Map(services.map((service) => [service.ID, serviceProgress(service, tasks, firstSeenRunning, now, STABLE_MS)]))
        if (converging().some(givenUp)) throw new GiveUp('a service keeps failing')
        return missing().length === 0 && converging().length === 0
      },
      {
        intervalMs: 100,
        progressEveryMs: 3000,
        describe: () =>
          [describeProgress(converging()), missing().length ? `not created yet: ${missing().join(', ')}` : ''].filter(Boolean).join('; ')
      }
    )
  } catch (error) {
    const stuck = converging()
    const failing = stuck.filter(givenUp)
    const named = failing.length ? failing : stuck
    const reason = failing.length ? 'keeps failing' : 'did not converge'
    const details = await Promise.all(named.map((service) => serviceReport(service, docker, reason)))
    const cause = failing.length ? '' : ` (${(error as Error).message})`
    throw new Error(
      `stack ${plan.name}: ${named.map((service) => service.name).join(', ') || missing().join(', ')} ${reason}${cause}\n${details.join('\n')}`.trim(),
      { cause: error }
    )
  }
  return { services, progress }
}

/** What `docker service ps --no-trunc` and the end of `docker service logs` say about one service. */
async function serviceReport(service: ServiceProgress, docker: DockerCli, reason: string): Promise<string> {
  const say = async (args: string[]) => {
    const result = await docker(args, { allowFailure: true, timeoutMs: CLI_TIMEOUT_MS }).catch((error: Error) => ({
      stdout: '',
      stderr: error.message
    }))
    return `${result.stdout}${result.stderr}`.trim() || '(nothing)'
  }
  const [ps, logs] = await Promise.all([
    say(['service', 'ps', '--no-trunc', service.name]),
    say(['service', 'logs', '--no-trunc', '--timestamps', '--tail', String(LOG_TAIL_LINES), service.name])
  ])
  return [
    `service ${service.name} ${reason}: ${service.running}/${service.desired} running, ${service.failed} failed${service.lastError ? `; last error: ${service.lastError}` : ''}`,
    `docker service ps --no-trunc ${service.name}:`,
    ps,
    `last ${LOG_TAIL_LINES} log lines of ${service.name}:`,
    logs
  ].join('\n')
}

function serviceOutput(service: SwarmService, progress: ServiceProgress, members: SwarmMember[]): ServiceOutput {
  const ipOf = new Map(members.map((member) => [member.id, member.ip]))
  const specPorts = service.Spec.EndpointSpec?.Ports ?? []
  // The routing mesh assigns a published port when the spec has none: the endpoint has it then.
  const ports = (service.Endpoint?.Ports?.length ? service.Endpoint.Ports : specPorts).map((port): PublishedPort => {
    const mode = port.PublishMode ?? 'ingress'
    const ips = mode === 'host' ? progress.nodeIds.map((id) => ipOf.get(id)).filter((ip): ip is string => Boolean(ip)) : members.map((m) => m.ip)
    const addresses = port.PublishedPort ? ips.map((ip) => `${ip}:${port.PublishedPort}`) : []
    return { protocol: port.Protocol ?? 'tcp', target: port.TargetPort ?? 0, published: port.PublishedPort, mode, address: addresses[0], addresses }
  })
  return {
    name: service.Spec.Name,
    mode: progress.mode,
    replicas: progress.desired,
    running: progress.running,
    image: service.Spec.TaskTemplate.ContainerSpec?.Image ?? '',
    ports
  }
}
