import type { Engine } from '../engine/api.js'
import { requireDockerCli } from '../engine/docker-cli.js'
import type { EngineNode } from '../engine/node.js'
import type { ClientCertDir } from '../engine/tls.js'
import { run } from '../tools/command.js'
import { sleep, type Deadline } from '../tools/wait.js'
import { PORTS_HINT, SWARM_PORT } from './members.js'

// A node into the swarm: the first manager initialises it (`docker swarm init`), every other node
// joins it over the Engine API, retried until the deadline.

/** What `docker swarm init` is run with. */
export interface InitOptions {
  initOpts: string[]
  client: ClientCertDir
  deadline: Deadline
}

export async function initSwarm(leader: EngineNode, options: InitOptions): Promise<void> {
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

export async function joinSwarm(
  node: EngineNode,
  engine: Engine,
  join: { RemoteAddrs: string[]; JoinToken: string },
  deadline: Deadline
): Promise<void> {
  let lastError = ''
  for (let attempt = 0; !deadline.expired() && !engine.isClosed; attempt++) {
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
