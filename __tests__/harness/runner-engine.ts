import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { createHash, randomBytes } from 'node:crypto'
import { get as httpGet } from 'node:http'
import {
  chmodSync,
  closeSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync
} from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { RUNNER_USER } from './runner-user.js'

// The runner's own Docker engine, where a job builds its images: on GitHub /var/run/docker.sock;
// here a dockerd of the test's own (its own data root, exec root, pidfile and socket), which the
// step reaches through DOCKER_HOST, as the CLI reaches any engine. By default it has no bridge and
// no firewall rules; `hostFirewall` starts it as systemd does on GitHub's runners instead: docker0,
// its iptables chains and a FORWARD policy of DROP, all undone again when it stops.
//
// Its image store is the test run's SETUP_SWARM_TEST_RUNNER_STORE: `containerd` (Docker 29's
// default on a fresh install) or `graph` (the graph driver: Docker 28 and older, or an upgraded
// Docker 29). Docker 20.10 knows only the graph driver.

export type ImageStore = 'containerd' | 'graph'
type Descriptor = { mediaType: string; digest: string; size: number }
export const RUNNER_STORE: ImageStore = process.env.SETUP_SWARM_TEST_RUNNER_STORE === 'containerd' ? 'containerd' : 'graph'

/** Whether this run tests the current engine (scripts/fetch-engine.sh's), not the system's Debian 12 Docker 20.10. */
export const CURRENT_ENGINE = Boolean(process.env.SETUP_SWARM_TEST_ENGINE_BIN)

export interface RunnerEngine {
  /** DOCKER_HOST for the step and the tests. */
  env: { DOCKER_HOST: string }
  store: ImageStore
  docker(args: string[], input?: Buffer | string): string
  /** Imports a busybox rootfs as `reference`, with `extraMegabytes` of random data in /data; returns its ID on this engine. */
  buildImage(reference: string, extraMegabytes?: number): string
  /** The digest of the image's config, as `docker save` names it: its ID in a graph driver's store. */
  configDigest(reference: string): string
  /**
   * Makes `reference` (containerd store) a multi-platform index whose arm64 platform's content is
   * absent, as `docker pull` leaves a multi-platform image in the containerd store.
   */
  makeMultiPlatform(reference: string): void
  /** GET on the engine's API, over its socket. */
  api<T>(path: string): Promise<T>
  stop(): Promise<void>
}

export interface RunnerEngineOptions {
  /** As on GitHub: docker0, iptables rules and FORWARD policy DROP in the host's namespace. */
  hostFirewall?: boolean
}

const START_TIMEOUT_MS = 30_000
const STOP_TIMEOUT_MS = 15_000

/** Starts the engine; bounded. Its files live under a short private directory (unix socket paths are short). */
export async function startRunnerEngine(label: string, options: RunnerEngineOptions = {}): Promise<RunnerEngine> {
  const dir = mkdtempSync(path.join(os.tmpdir(), `re-${label}-`))
  chmodSync(dir, 0o755)
  // Sockets live here (containerd's debug socket too): a unix socket path has at most 104 bytes.
  const run = mkdtempSync('/tmp/re-')
  chmodSync(run, 0o755)
  const socket = path.join(run, 'docker.sock')
  const log = openSync(path.join(dir, 'dockerd.log'), 'a')
  const env = { DOCKER_HOST: `unix://${socket}` }
  writeFileSync(path.join(dir, 'daemon.json'), `${JSON.stringify({ features: { 'containerd-snapshotter': RUNNER_STORE === 'containerd' } })}\n`)
  const host = options.hostFirewall ? saveHostNetwork() : undefined
  const dockerd: ChildProcess = spawn(
    'dockerd',
    [
      ...['--data-root', path.join(dir, 'data'), '--exec-root', path.join(run, 'exec'), '--pidfile', path.join(run, 'docker.pid')],
      ...['--config-file', path.join(dir, 'daemon.json'), '-H', env.DOCKER_HOST, '--group', RUNNER_USER],
      ...(options.hostFirewall ? [] : ['--bridge=none', '--iptables=false']),
      ...['--containerd-namespace', `re-${label}`, '--containerd-plugins-namespace', `re-${label}-plugins`]
    ],
    { stdio: ['ignore', log, log] }
  )
  closeSync(log)
  const docker = (args: string[], input?: Buffer | string) =>
    execFileSync('docker', args, {
      env: { ...process.env, ...env },
      input,
      encoding: 'utf8',
      stdio: ['pipe', 'pipe', 'pipe'],
      timeout: 120_000,
      maxBuffer: 64 << 20
    }).trim()

  const stop = async () => {
    if (dockerd.exitCode === null && dockerd.signalCode === null) {
      const exited = new Promise<void>((resolve) => dockerd.once('exit', () => resolve()))
      dockerd.kill('SIGTERM')
      const late = setTimeout(() => dockerd.kill('SIGKILL'), STOP_TIMEOUT_MS)
      await exited
      clearTimeout(late)
    }
    // The containerd it started ends with it; one left by a killed engine goes by its own pidfile.
    const containerdPid = path.join(run, 'exec', 'containerd', 'containerd.pid')
    if (existsSync(containerdPid)) {
      try {
        process.kill(Number(readFileSync(containerdPid, 'utf8').trim()), 'SIGKILL')
      } catch {
        // already gone
      }
    }
    // An engine that failed to start may leave its data root mounted on itself.
    spawnSync('umount', [path.join(dir, 'data')], { stdio: 'ignore' })
    host?.restore()
    rmSync(dir, { recursive: true, force: true })
    rmSync(run, { recursive: true, force: true })
  }

  const deadline = Date.now() + START_TIMEOUT_MS
  for (;;) {
    try {
      docker(['version', '--format', '{{.Server.Version}}'])
      // Docker sets it only where it turned forwarding on itself; GitHub's runners have it.
      if (options.hostFirewall) execFileSync('iptables', ['-w', '10', '-P', 'FORWARD', 'DROP'])
      break
    } catch (error) {
      if (Date.now() > deadline || dockerd.exitCode !== null) {
        const tail = readFileSync(path.join(dir, 'dockerd.log'), 'utf8').trim().split('\n').slice(-5).join('\n')
        await stop()
        throw new Error(`the runner engine did not start within ${START_TIMEOUT_MS / 1000} s: ${(error as Error).message}\n${tail}`, { cause: error })
      }
      await new Promise((resolve) => setTimeout(resolve, 200))
    }
  }

  const buildImage = (reference: string, extraMegabytes = 0) => {
    const rootfs = mkdtempSync(path.join(dir, 'rootfs-'))
    try {
      for (const sub of ['bin', 'www', 'tmp', 'data']) mkdirSync(path.join(rootfs, sub))
      const busybox = execFileSync('sh', ['-c', 'command -v busybox'], { encoding: 'utf8' }).trim()
      copyFileSync(busybox, path.join(rootfs, 'bin', 'busybox'))
      chmodSync(path.join(rootfs, 'bin', 'busybox'), 0o755)
      for (const applet of ['sh', 'httpd', 'wget', 'sleep', 'hostname', 'cat', 'echo', 'ls', 'env', 'nc', 'true', 'false']) {
        symlinkSync('busybox', path.join(rootfs, 'bin', applet))
      }
      writeFileSync(path.join(rootfs, 'www', 'index.html'), `setup-swarm ${reference}\n`)
      // Random: no layer of two images is alike, nothing compresses.
      if (extraMegabytes) writeFileSync(path.join(rootfs, 'data', 'blob'), randomBytes(extraMegabytes << 20))
      const tar = execFileSync('tar', ['-C', rootfs, '-c', '.'], { maxBuffer: (extraMegabytes + 16) << 20 })
      docker(['import', '-', reference], tar)
      return docker(['image', 'inspect', '--format', '{{.Id}}', reference])
    } finally {
      rmSync(rootfs, { recursive: true, force: true })
    }
  }

  const configDigest = (reference: string) => {
    const saved = execFileSync('sh', ['-c', 'docker save "$1" | tar -xOf - manifest.json', 'save', reference], {
      env: { ...process.env, ...env },
      encoding: 'utf8',
      maxBuffer: 64 << 20
    })
    const [manifest] = JSON.parse(saved) as Array<{ Config: string }>
    // `blobs/sha256/<hex>` (OCI layout, Docker 25 and later) or `<hex>.json`.
    return `sha256:${/([0-9a-f]{64})(?:\.json)?$/.exec(manifest.Config)![1]}`
  }

  const makeMultiPlatform = (reference: string) => {
    const layout = mkdtempSync(path.join(dir, 'layout-'))
    try {
      execFileSync('sh', ['-c', 'docker save "$1" | tar -x -C "$2"', 'save', reference, layout], { env: { ...process.env, ...env } })
      const [manifest] = (JSON.parse(readFileSync(path.join(layout, 'index.json'), 'utf8')) as { manifests: Descriptor[] }).manifests
      const absent = { mediaType: manifest.mediaType, digest: `sha256:${'ab'.repeat(32)}`, size: 1234 }
      const index = Buffer.from(
        JSON.stringify({
          schemaVersion: 2,
          mediaType: 'application/vnd.oci.image.index.v1+json',
          manifests: [
            { mediaType: manifest.mediaType, digest: manifest.digest, size: manifest.size, platform: { architecture: 'amd64', os: 'linux' } },
            { ...absent, platform: { architecture: 'arm64', os: 'linux', variant: 'v8' } }
          ]
        })
      )
      const digest = createHash('sha256').update(index).digest('hex')
      writeFileSync(path.join(layout, 'blobs', 'sha256', digest), index)
      const [name, tag] = reference.split(':')
      const annotations = { 'io.containerd.image.name': `docker.io/${name}:${tag}`, 'org.opencontainers.image.ref.name': tag }
      const indexJson = {
        schemaVersion: 2,
        manifests: [{ mediaType: 'application/vnd.oci.image.index.v1+json', digest: `sha256:${digest}`, size: index.length, annotations }]
      }
      writeFileSync(path.join(layout, 'index.json'), JSON.stringify(indexJson))
      // Without Docker's own manifest.json, the load reads the OCI index.
      rmSync(path.join(layout, 'manifest.json'))
      execFileSync('sh', ['-c', 'tar -c -C "$1" . | docker load', 'load', layout], { env: { ...process.env, ...env }, stdio: 'pipe' })
    } finally {
      rmSync(layout, { recursive: true, force: true })
    }
  }

  const api = <T>(apiPath: string) =>
    new Promise<T>((resolve, reject) => {
      const request = httpGet({ socketPath: socket, path: apiPath, timeout: 10_000 }, (res) => {
        let body = ''
        res.setEncoding('utf8').on('data', (chunk: string) => (body += chunk))
        res.on('end', () =>
          res.statusCode === 200 ? resolve(JSON.parse(body) as T) : reject(new Error(`GET ${apiPath}: ${res.statusCode} ${body}`))
        )
      })
      request.on('timeout', () => request.destroy(new Error(`GET ${apiPath}: no answer within 10 s`)))
      request.on('error', reject)
    })

  return { env, store: RUNNER_STORE, docker, buildImage, configDigest, makeMultiPlatform, api, stop }
}

/** The host's firewall, forwarding and docker0 before a host-firewall engine starts: its `restore` puts them back. */
function saveHostNetwork(): { restore(): void } {
  const saved = { iptables: execFileSync('iptables-save', { encoding: 'utf8' }), ip6tables: execFileSync('ip6tables-save', { encoding: 'utf8' }) }
  const ipForward = readFileSync('/proc/sys/net/ipv4/ip_forward', 'utf8')
  return {
    restore() {
      execFileSync('iptables-restore', ['-w', '10'], { input: saved.iptables })
      execFileSync('ip6tables-restore', ['-w', '10'], { input: saved.ip6tables })
      writeFileSync('/proc/sys/net/ipv4/ip_forward', ipForward)
      spawnSync('ip', ['link', 'delete', 'docker0'], { stdio: 'ignore' })
    }
  }
}

/** The host's firewall rules, rule by rule, without counters or comments: what the host-firewall tests compare. */
export function firewallRules(): string[] {
  return ['iptables-save', 'ip6tables-save'].flatMap((command) =>
    execFileSync(command, { encoding: 'utf8' })
      .split('\n')
      .filter((line) => line && !line.startsWith('#'))
      .map((line) => line.replace(/ \[\d+:\d+\]$/, ''))
  )
}

/** busybox with every applet (the host's), imported as `reference`, as a pull of a busybox image would leave it on the runner. */
export function importBusybox(engine: RunnerEngine, reference: string): void {
  const rootfs = mkdtempSync(path.join(os.tmpdir(), 'base-'))
  try {
    mkdirSync(path.join(rootfs, 'bin'))
    const busybox = execFileSync('sh', ['-c', 'command -v busybox'], { encoding: 'utf8' }).trim()
    copyFileSync(busybox, path.join(rootfs, 'bin', 'busybox'))
    chmodSync(path.join(rootfs, 'bin', 'busybox'), 0o755)
    const applets = execFileSync(busybox, ['--list'], { encoding: 'utf8' }).split('\n').filter(Boolean)
    for (const applet of applets.filter((name) => name !== 'busybox')) symlinkSync('busybox', path.join(rootfs, 'bin', applet))
    for (const dir of ['tmp', 'etc', 'www']) mkdirSync(path.join(rootfs, dir))
    engine.docker(['import', '-', reference], execFileSync('tar', ['-C', rootfs, '-c', '.'], { maxBuffer: 64 << 20 }))
  } finally {
    rmSync(rootfs, { recursive: true, force: true })
  }
}
