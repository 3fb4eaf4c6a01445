import { spawn, type ChildProcessByStdio } from 'node:child_process'
import type { Readable } from 'node:stream'
import { findExecutable, run, type RunResult } from '../tools/command.js'
import { containerdExportArgv } from './containerd-export.js'
import type { RunnerImage } from './image-identity.js'
import type { ClientCertDir } from './tls.js'

// The docker CLI, pointed either at the runner's own engine or at one node of the swarm.

/**
 * The step's environment as it was when the action started. Main exports DOCKER_HOST (and the TLS
 * variables) for later steps into its own process.env too; the runner's engine, where the job built
 * its images, is whatever the docker CLI reached before that (/var/run/docker.sock on GitHub).
 */
const STEP_ENV: NodeJS.ProcessEnv = { ...process.env }

/** Variables that pick an engine: a node's CLI gets its engine from flags, never from these. */
const ENGINE_VARIABLES = ['DOCKER_HOST', 'DOCKER_CONTEXT', 'DOCKER_TLS_VERIFY', 'DOCKER_CERT_PATH', 'DOCKER_TLS']

/** The docker CLI's path on the runner; fails, saying how to install it, where there is none. */
export function requireDockerCli(): string {
  const docker = findExecutable('docker')
  if (!docker)
    throw new Error('the docker CLI is not installed on the runner; install it (e.g. `sudo apt-get install -y docker.io` or docker-ce-cli)')
  return docker
}

export type DockerCli = (args: string[], options?: { timeoutMs?: number; allowFailure?: boolean }) => Promise<RunResult>

/** The docker CLI as the step's environment sets it up: the runner's own engine. */
export function runnerDocker(): DockerCli {
  const docker = requireDockerCli()
  return (args, options = {}) => run(docker, args, { env: STEP_ENV, timeoutMs: options.timeoutMs, allowFailure: options.allowFailure })
}

/** What reads the images out of the runner's engine: containerd's own export where it can (containerd-export.ts), else `docker save`. */
export function runnerExporter(images: RunnerImage[]): 'ctr images export' | 'docker save' {
  return images.every((image) => image.containerd) ? 'ctr images export' : 'docker save'
}

/** The runner's images as one archive stream (see runnerExporter), read once and fanned out to every node. */
export function runnerSave(images: RunnerImage[]): ChildProcessByStdio<null, Readable, Readable> {
  // In the containerd store: for the runner's platform only, the nodes' (see RunnerImage.savePlatform).
  const platform = images.find((image) => image.savePlatform)?.savePlatform
  const [file, args] =
    runnerExporter(images) === 'ctr images export'
      ? containerdExportArgv(
          images.map((image) => image.containerd!),
          platform!
        )
      : [requireDockerCli(), ['save', ...(platform ? ['--platform', platform] : []), ...images.map((image) => image.reference)]]
  return spawn(file, args, { env: STEP_ENV, stdio: ['ignore', 'pipe', 'pipe'] })
}

/**
 * The docker CLI against one node, over mutual TLS with the run's client certificate. The user's
 * DOCKER_CONFIG is left out (a context or credential helper there would pick another engine); the
 * rest of the step's environment stays, as a compose file's `${VARIABLES}` come from it.
 */
export function nodeDocker(dockerHost: string, client: ClientCertDir): DockerCli {
  const docker = requireDockerCli()
  const flags = ['--host', dockerHost, '--tlsverify', '--tlscacert', client.ca, '--tlscert', client.cert, '--tlskey', client.key]
  const env = Object.fromEntries(Object.entries(STEP_ENV).filter(([key]) => !ENGINE_VARIABLES.includes(key)))
  env.DOCKER_CONFIG = client.dir
  return (args, options = {}) => run(docker, [...flags, ...args], { env, timeoutMs: options.timeoutMs, allowFailure: options.allowFailure })
}
