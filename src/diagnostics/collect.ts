import { mkdir, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { nodeDocker, type DockerCli } from '../engine/docker-cli.js'
import type { EngineNode } from '../engine/node.js'
import type { ClientCertDir } from '../engine/tls.js'
import type { ClusterRecord } from '../state/record.js'
import { redact } from './redact.js'

// What a failed swarm looked like, as files: `docker node ls`, every service's `ps --no-trunc` and
// logs, each node's `docker info` and engine log. Every command is bounded, every file capped, and
// the whole has a deadline: what is not there by then is noted, never waited for. Never
// `service inspect`: a service's spec holds its environment, where secrets often are.

export interface CollectLimits {
  /** The whole collection ends by then; what is missing is noted. */
  totalMs: number
  commandMs: number
  /** A file keeps its last this many bytes (logs: the end is what tells). */
  fileBytes: number
  /** Past this, files are no longer written. */
  totalBytes: number
  /** Commands at once (each docker CLI is a process of its own, on a runner with 2 cores). */
  concurrency: number
}

export const DEFAULT_LIMITS: CollectLimits = { totalMs: 90_000, commandMs: 20_000, fileBytes: 2_000_000, totalBytes: 20_000_000, concurrency: 4 }

export interface DiagnosticsTarget {
  record: ClusterRecord
  client: ClientCertDir
  /** The driver's reader of a node's engine log, if it has one. */
  engineLog?: (node: EngineNode, limits: { maxBytes: number; timeoutMs: number }) => Promise<string>
  /** Values that must not appear in any file (the run's join tokens, when known). */
  secrets?: string[]
}

export interface ServiceLine {
  name: string
  mode: string
  replicas: string
}

export interface Collected {
  dir: string
  /** Paths relative to `dir`. */
  files: string[]
  bytes: number
  /** What could not be collected, and why. */
  problems: string[]
  services: ServiceLine[]
  /** `docker node ls` as the first manager that answered printed it. */
  nodeList?: string
}

export async function collectDiagnostics(target: DiagnosticsTarget, dir: string, limits: CollectLimits = DEFAULT_LIMITS): Promise<Collected> {
  const ends = Date.now() + limits.totalMs
  const remaining = () => Math.max(0, ends - Date.now())
  const collected: Collected = { dir, files: [], bytes: 0, problems: [], services: [] }
  const limit = limiter(limits.concurrency)
  await mkdir(dir, { recursive: true, mode: 0o700 })

  const save = async (file: string, text: string) => {
    let content = redact(text, target.secrets)
    if (Buffer.byteLength(content) > limits.fileBytes) {
      content = `[first part cut: only the last ${limits.fileBytes} bytes are kept]\n${Buffer.from(content).subarray(-limits.fileBytes).toString('utf8')}`
    }
    const size = Buffer.byteLength(content)
    if (collected.bytes + size > limits.totalBytes) {
      collected.problems.push(`${file}: not written, the diagnostics reached their size bound (${limits.totalBytes} bytes)`)
      return
    }
    collected.bytes += size
    await mkdir(path.join(dir, path.dirname(file)), { recursive: true, mode: 0o700 })
    await writeFile(path.join(dir, file), content, { mode: 0o600 })
    if (!collected.files.includes(file)) collected.files.push(file)
  }
  /** A docker command's output into a file; a failure is noted in the file and in the problems. */
  const capture = (docker: DockerCli, args: string[], file: string) =>
    limit(async () => {
      const timeoutMs = Math.min(limits.commandMs, remaining())
      if (timeoutMs <= 0) return void collected.problems.push(`${file}: the diagnostics ran out of time`)
      const result = await docker(args, { allowFailure: true, timeoutMs }).catch((error: Error) => ({ code: 1, stdout: '', stderr: error.message }))
      if (result.code !== 0) collected.problems.push(`${file}: docker ${args.join(' ')} failed: ${lastLine(result.stderr)}`)
      await save(file, `$ docker ${args.join(' ')}\n${result.stdout}${result.stderr ? `\n${result.stderr}` : ''}`)
      return result
    })

  const nodes = target.record.nodes
  const perNode = nodes.map(async (node) => {
    const docker = nodeDocker(node.dockerHost, target.client)
    await capture(docker, ['info'], `nodes/${node.name}/info.txt`)
    if (target.engineLog) {
      await limit(async () => {
        const timeoutMs = Math.min(limits.commandMs, remaining())
        const log = await target.engineLog!(node, { maxBytes: limits.fileBytes, timeoutMs }).catch((error: Error) => {
          collected.problems.push(`nodes/${node.name}/engine.log: ${error.message}`)
          return `(could not read the engine log: ${error.message})`
        })
        await save(`nodes/${node.name}/engine.log`, log)
      })
    }
  })
  const swarmWide = (async () => {
    const manager = await firstAnsweringManager(nodes, target.client, capture)
    if (!manager) return void collected.problems.push('no manager answered `docker node ls`: the swarm-wide files are missing')
    collected.nodeList = manager.nodeList
    await capture(manager.docker, ['service', 'ls'], 'services.txt')
    const listed = await limit(() =>
      manager.docker(['service', 'ls', '--format', '{{.Name}}\t{{.Mode}}\t{{.Replicas}}'], {
        allowFailure: true,
        timeoutMs: Math.min(limits.commandMs, remaining())
      })
    ).catch(() => undefined)
    collected.services = (listed?.stdout ?? '')
      .split('\n')
      .filter(Boolean)
      .map((line) => line.split('\t'))
      .map(([name, mode, replicas]) => ({ name, mode: mode ?? '', replicas: replicas ?? '' }))
    await Promise.all(
      collected.services.flatMap(({ name }) => [
        capture(manager.docker, ['service', 'ps', '--no-trunc', name], `services/${name}/ps.txt`),
        capture(manager.docker, ['service', 'logs', '--timestamps', '--no-trunc', '--tail', '2000', name], `services/${name}/logs.txt`)
      ])
    )
  })()

  let timer: NodeJS.Timeout | undefined
  const outOfTime = new Promise<'late'>((resolve) => (timer = setTimeout(() => resolve('late'), limits.totalMs + 1000)))
  const finished = await Promise.race([Promise.all([...perNode, swarmWide]).then(() => 'done' as const), outOfTime])
  clearTimeout(timer)
  if (finished === 'late')
    collected.problems.push(`the collection did not finish within ${limits.totalMs / 1000} s; what was collected by then is kept`)
  await save('README.txt', readme(target.record, collected)).catch(() => undefined)
  return collected
}

/** The first manager that answers `docker node ls`; its output is the first file. */
async function firstAnsweringManager(
  nodes: ClusterRecord['nodes'],
  client: ClientCertDir,
  capture: (docker: DockerCli, args: string[], file: string) => Promise<{ code: number; stdout: string } | undefined>
): Promise<{ docker: DockerCli; nodeList: string } | undefined> {
  for (const node of nodes.filter((candidate) => candidate.role === 'manager')) {
    const docker = nodeDocker(node.dockerHost, client)
    const result = await capture(docker, ['node', 'ls'], 'node-ls.txt')
    if (result?.code === 0) return { docker, nodeList: result.stdout }
  }
  return undefined
}

function readme(record: ClusterRecord, collected: Collected): string {
  return [
    `Diagnostics of swarm ${record.name} (driver ${record.driver}), ${new Date().toISOString()}`,
    '',
    'node-ls.txt            docker node ls, from the first manager that answered',
    'services.txt           docker service ls',
    'services/<name>/       docker service ps --no-trunc, and docker service logs (last 2000 lines)',
    'nodes/<name>/          docker info, and the engine log (its end)',
    '',
    'Join tokens and private keys are redacted; no service spec (environment) is included.',
    ...(collected.problems.length ? ['', 'Not collected:', ...collected.problems.map((problem) => `- ${problem}`)] : [])
  ].join('\n')
}

const lastLine = (text: string): string => text.trim().split('\n').pop() ?? ''

/** Runs at most `concurrency` of the given jobs at once. */
function limiter(concurrency: number) {
  let active = 0
  const queue: Array<() => void> = []
  return async <T>(job: () => Promise<T>): Promise<T> => {
    if (active >= concurrency) await new Promise<void>((resolve) => queue.push(resolve))
    active++
    try {
      return await job()
    } finally {
      active--
      queue.shift()?.()
    }
  }
}
