import * as core from '@actions/core'
import { findExecutable, run } from './command.js'
import type { EngineNode } from './drivers/driver.js'
import { Engine, type SwarmNode } from './engine.js'
import type { SwarmIdentity } from './state.js'
import { readClientTls, type ClientCertDir } from './tls.js'
import { pollUntil, sleep, type Deadline } from './wait.js'

export const SWARM_PORT = 2377
const PORTS_HINT =
  'the nodes must reach each other on 2377/tcp (cluster management), 7946/tcp+udp (node communication) and 4789/udp (overlay traffic)'

export interface SwarmMember extends EngineNode {
  id: string
  status: string
}

export interface Swarm {
  members: SwarmMember[]
  managerIp: string
  managerAddress: string
  workerToken: string
  managerToken: string
}

export interface FormOptions {
  /** The cluster's name, which the swarm carries as a label (CLUSTER_LABEL). */
  name: string
  initOpts: string[]
  client: ClientCertDir
  deadline: Deadline
  /** Called once the swarm exists, before any node joins it. */
  onInitialised: (swarm: SwarmIdentity) => void
}

/**
 * The swarm's own label naming its cluster: a later run that reuses the cluster, or a destroy by
 * name, tells it apart from any other swarm the same hosts could be in.
 */
export const CLUSTER_LABEL = 'setup-swarm.cluster'

/** Where nodes join: the first manager, which initialises the swarm. */
export const joinAddress = (leader: EngineNode): string => `${leader.advertiseIp}:${SWARM_PORT}`

export function requireDockerCli(): string {
  const docker = findExecutable('docker')
  if (!docker)
    throw new Error('the docker CLI is not installed on the runner; install it (e.g. `sudo apt-get install -y docker.io` or docker-ce-cli)')
  return docker
}

export async function formSwarm(nodes: EngineNode[], options: FormOptions): Promise<Swarm> {
  const tls = await readClientTls(options.client)
  const engines = new Map(nodes.map((node) => [node.name, new Engine(node.dockerHost, tls)]))
  try {
    const [leader, ...joiners] = nodes
    const started = Date.now()
    const step = (what: string) => core.debug(`${what} after ${Date.now() - started} ms`)
    await waitForEngines(nodes, engines, options.deadline)
    step('engines answering')
    await initSwarm(leader, options)
    step('swarm initialised')
    const leaderEngine = engines.get(leader.name)!
    const inspected = await leaderEngine.swarm()
    const { ID: id, JoinTokens: tokens } = inspected
    core.setSecret(tokens.Worker)
    core.setSecret(tokens.Manager)
    await leaderEngine.updateSwarm(inspected.Version.Index, {
      ...inspected.Spec,
      Labels: { ...inspected.Spec.Labels, [CLUSTER_LABEL]: options.name }
    })
    const managerAddress = joinAddress(leader)
    options.onInitialised({ id, managerAddress })
    core.info(`swarm initialised on ${leader.name} (${managerAddress}); ${joiners.length} node(s) joining`)

    await Promise.all(
      joiners.map((node) =>
        joinSwarm(
          node,
          engines.get(node.name)!,
          { RemoteAddrs: [managerAddress], JoinToken: node.role === 'manager' ? tokens.Manager : tokens.Worker },
          options.deadline
        )
      )
    )
    step('every node joined')
    const ids = await Promise.all(nodes.map(async (node) => (await engines.get(node.name)!.info()).Swarm.NodeID))
    const listed = await waitForReady(nodes, ids, engines.get(leader.name)!, options.deadline)
    step('every node Ready')
    return {
      members: nodes.map((node, i) => ({ ...node, id: ids[i], status: listed.get(ids[i])?.Status.State ?? 'unknown' })),
      managerIp: leader.ip,
      managerAddress,
      workerToken: tokens.Worker,
      managerToken: tokens.Manager
    }
  } finally {
    for (const engine of engines.values()) engine.close()
  }
}

async function waitForEngines(nodes: EngineNode[], engines: Map<string, Engine>, deadline: Deadline): Promise<void> {
  const waiting = new Set(nodes.map((node) => node.name))
  await pollUntil(
    deadline,
    'the engines to answer',
    async () => {
      await Promise.all(
        [...waiting].map(async (name) => {
          if (
            await engines
              .get(name)!
              .ping(2000)
              .catch(() => false)
          )
            waiting.delete(name)
        })
      )
      return waiting.size === 0
    },
    { intervalMs: 250, describe: () => `not answering yet: ${[...waiting].join(', ')}` }
  )
}

async function initSwarm(leader: EngineNode, options: FormOptions): Promise<void> {
  const { client } = options
  const args = ['--host', leader.dockerHost, '--tlsverify', '--tlscacert', client.ca, '--tlscert', client.cert, '--tlskey', client.key]
  // The CLI's own output names the worker join token: it is captured, never printed.
  const result = await run(requireDockerCli(), [...args, 'swarm', 'init', '--advertise-addr', leader.advertiseIp, ...options.initOpts], {
    allowFailure: true,
    timeoutMs: Math.max(1000, options.deadline.remainingMs()),
    env: { ...process.env, DOCKER_CONFIG: client.dir }
  })
  if (result.code !== 0) {
    const message = result.stderr.trim() || result.stdout.trim()
    const hint = /already part of a swarm/.test(message)
      ? `; ${leader.name} already belongs to a swarm: run \`docker swarm leave --force\` on it, or use a fresh host`
      : '; check `swarm-init-opts`'
    throw new Error(`docker swarm init on ${leader.name} failed: ${message}${hint}`)
  }
}

async function joinSwarm(node: EngineNode, engine: Engine, join: { RemoteAddrs: string[]; JoinToken: string }, deadline: Deadline): Promise<void> {
  let lastError = ''
  for (let attempt = 0; !deadline.expired(); attempt++) {
    try {
      await engine.join(
        { ListenAddr: `0.0.0.0:${SWARM_PORT}`, AdvertiseAddr: `${node.advertiseIp}:${SWARM_PORT}`, ...join },
        Math.max(1000, deadline.remainingMs())
      )
      return
    } catch (error) {
      lastError = (error as Error).message
      if (/already part of a swarm/.test(lastError)) {
        // On a retry, an earlier join went through after its answer was lost; on the first try
        // the host was in some other swarm before we came.
        if (attempt > 0) return
        throw new Error(`${node.name} already belongs to a swarm: run \`docker swarm leave --force\` on it, or use a fresh host`, { cause: error })
      }
      if (/invalid join token/i.test(lastError)) break
      await sleep(500)
    }
  }
  throw new Error(`${node.name} (${node.advertiseIp}) could not join the swarm at ${join.RemoteAddrs[0]}: ${lastError || 'timed out'}; ${PORTS_HINT}`)
}

export async function waitForReady(
  nodes: EngineNode[],
  ids: string[],
  manager: Pick<Engine, 'nodes'>,
  deadline: Deadline
): Promise<Map<string, SwarmNode>> {
  let listed = new Map<string, SwarmNode>()
  const notReady = () =>
    nodes
      .filter((_, i) => {
        const entry = listed.get(ids[i])
        return !entry || entry.Status.State !== 'ready' || (entry.Spec.Role === 'manager' && entry.ManagerStatus?.Reachability !== 'reachable')
      })
      .map((node) => node.name)
  await pollUntil(
    deadline,
    'every node to be Ready',
    async () => {
      listed = new Map((await manager.nodes()).map((entry) => [entry.ID, entry]))
      return notReady().length === 0
    },
    { intervalMs: 200, describe: () => `not ready yet: ${notReady().join(', ')}; ${PORTS_HINT}` }
  )
  return listed
}
