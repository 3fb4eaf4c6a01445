import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { randomBytes } from 'node:crypto'
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
// here a dockerd of the test's own (its own data root, exec root, pidfile and socket, no bridge,
// no firewall rules), which the step reaches through DOCKER_HOST, as the CLI reaches any engine.

export interface RunnerEngine {
  /** DOCKER_HOST for the step and the tests. */
  env: { DOCKER_HOST: string }
  docker(args: string[], input?: Buffer | string): string
  /** Imports a busybox rootfs as `reference`, with `extraMegabytes` of random data in /data. */
  buildImage(reference: string, extraMegabytes?: number): string
  stop(): Promise<void>
}

const START_TIMEOUT_MS = 30_000
const STOP_TIMEOUT_MS = 15_000

/** Starts the engine; bounded. Its files live under a short private directory (unix socket paths are short). */
export async function startRunnerEngine(label: string): Promise<RunnerEngine> {
  const dir = mkdtempSync(path.join(os.tmpdir(), `re-${label}-`))
  chmodSync(dir, 0o755)
  // Sockets live here (containerd's debug socket too): a unix socket path has at most 104 bytes.
  const run = mkdtempSync('/tmp/re-')
  chmodSync(run, 0o755)
  const socket = path.join(run, 'docker.sock')
  const log = openSync(path.join(dir, 'dockerd.log'), 'a')
  const env = { DOCKER_HOST: `unix://${socket}` }
  writeFileSync(path.join(dir, 'daemon.json'), '{}\n')
  const dockerd: ChildProcess = spawn(
    'dockerd',
    [
      ...['--data-root', path.join(dir, 'data'), '--exec-root', path.join(run, 'exec'), '--pidfile', path.join(run, 'docker.pid')],
      ...['--config-file', path.join(dir, 'daemon.json'), '-H', env.DOCKER_HOST, '--group', RUNNER_USER],
      ...['--bridge=none', '--iptables=false', '--containerd-namespace', `re-${label}`, '--containerd-plugins-namespace', `re-${label}-plugins`]
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
    rmSync(dir, { recursive: true, force: true })
    rmSync(run, { recursive: true, force: true })
  }

  const deadline = Date.now() + START_TIMEOUT_MS
  for (;;) {
    try {
      docker(['version', '--format', '{{.Server.Version}}'])
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

  return { env, docker, buildImage, stop }
}
