// Prepares a fresh Debian machine for the end-to-end tests (as root): the engines' packages, the
// runner user (not root, passwordless sudo, as on GitHub), a copy of the action where that user can
// read it, and a tiny image's rootfs (no registry here: the tests `docker import` it). First of all,
// it removes what a test run killed before its own cleanup left behind.
import { execFileSync, spawnSync } from 'node:child_process'
import {
  chmodSync,
  copyFileSync,
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  realpathSync,
  rmSync,
  symlinkSync,
  writeFileSync
} from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { ensureRunnerUser } from './runner-user.js'
import { removeTestClusters } from './sweep.js'

const ROOT = fileURLToPath(new URL('../..', import.meta.url))
export const TEST_TMP = path.join(os.tmpdir(), 'setup-swarm-tests')
export const IMAGE_TAR = path.join(TEST_TMP, 'busybox.tar')
/** The action as the runner checks it out: action.yml and dist/, readable by the runner user. */
export const ACTION_COPY = path.join(TEST_TMP, 'action')
export const ACTION_ENTRY = path.join(ACTION_COPY, 'dist', 'index.js')
/** Node 24, where the runner user can run it (the project's own copy may sit in a directory only root reads). */
export const ACTION_NODE = path.join(ACTION_COPY, 'node')
/** GITHUB_REPOSITORY of every step (a test may give another, as a second repository's run on the same runner). */
export const TEST_REPOSITORY = 'owner/repo'

const PACKAGES = {
  dockerd: 'docker.io',
  ip: 'iproute2',
  iptables: 'iptables',
  nsenter: 'util-linux',
  busybox: 'busybox-static',
  sudo: 'sudo',
  'tini-static': 'tini',
  runc: 'runc'
}

const has = (command) => spawnSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' }).status === 0

export default async function globalSetup() {
  if (process.platform !== 'linux' || process.getuid() !== 0) {
    throw new Error('the end-to-end tests start engines and network namespaces: run them as root on Linux (`sudo npm run test:e2e`)')
  }
  // The tests derive a cluster's host-wide names (localNames) as its steps do: from the steps' repository.
  process.env.GITHUB_REPOSITORY = TEST_REPOSITORY
  for (const left of removeTestClusters(TEST_TMP, existsSync(ACTION_ENTRY) ? ACTION_ENTRY : path.join(ROOT, 'dist', 'index.js'))) {
    console.log(`removed cluster ${left.name} left by an earlier test run (post exit ${left.code})`)
  }
  rmSync(TEST_TMP, { recursive: true, force: true })
  // Traversable, not listable: each job's directory is its runner user's (its outputs hold join tokens).
  mkdirSync(TEST_TMP, { recursive: true, mode: 0o711 })
  const missing = Object.entries(PACKAGES)
    .filter(([command]) => !has(command))
    .map(([, pkg]) => pkg)
  if (missing.length) {
    console.log(`installing ${missing.join(' ')}`)
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' }
    execFileSync('apt-get', ['update', '-q'], { stdio: 'inherit', env })
    execFileSync('apt-get', ['install', '-y', '-q', '--no-install-recommends', ...missing], { stdio: 'inherit', env })
  }
  if (!ensureRunnerUser()) throw new Error('could not create the runner user')
  mkdirSync(ACTION_COPY, { mode: 0o755 })
  copyFileSync(path.join(ROOT, 'action.yml'), path.join(ACTION_COPY, 'action.yml'))
  // The small actions beside the main one (destroy/, sweep/): their action.yml run the shared dist/.
  for (const dir of readdirSync(ROOT).filter((name) => existsSync(path.join(ROOT, name, 'action.yml')))) {
    mkdirSync(path.join(ACTION_COPY, dir))
    copyFileSync(path.join(ROOT, dir, 'action.yml'), path.join(ACTION_COPY, dir, 'action.yml'))
  }
  cpSync(path.join(ROOT, 'dist'), path.join(ACTION_COPY, 'dist'), { recursive: true })
  copyFileSync(process.execPath, ACTION_NODE)
  useEngine(process.env.SETUP_SWARM_TEST_ENGINE_BIN)
  execFileSync('chmod', ['-R', 'a+rX', ACTION_COPY])
  makeImageTar()
  const version = execFileSync('dockerd', ['--version'], { encoding: 'utf8' }).trim()
  console.log(`engines under test: ${version}; the runner's image store: ${process.env.SETUP_SWARM_TEST_RUNNER_STORE || 'graph'}`)
}

/**
 * The engine the tests run (scripts/fetch-engine.sh's bin directory), first on PATH for the tests,
 * the steps and the nodes: copied where the runner user can run it (the checkout may sit where only
 * root reads), its files hard-linked where they can be. Without one, the system's Docker.
 */
function useEngine(bin) {
  if (!bin) return
  const copy = path.join(ACTION_COPY, 'engine')
  mkdirSync(copy)
  for (const name of readdirSync(bin)) {
    const target = realpathSync(path.join(bin, name))
    // The engine's own binaries are copied; the system's companions (runc, tini) stay where they are.
    if (!target.startsWith(path.dirname(realpathSync(bin)))) symlinkSync(target, path.join(copy, name))
    else if (spawnSync('cp', ['--link', target, path.join(copy, name)]).status !== 0) copyFileSync(target, path.join(copy, name))
  }
  process.env.PATH = `${copy}:${process.env.PATH}`
}

function makeImageTar() {
  const busybox = execFileSync('sh', ['-c', 'command -v busybox'], { encoding: 'utf8' }).trim()
  const rootfs = mkdtempSync(path.join(TEST_TMP, 'rootfs-'))
  for (const dir of ['bin', 'www', 'tmp']) mkdirSync(path.join(rootfs, dir))
  copyFileSync(busybox, path.join(rootfs, 'bin', 'busybox'))
  chmodSync(path.join(rootfs, 'bin', 'busybox'), 0o755)
  for (const applet of ['sh', 'httpd', 'wget', 'sleep', 'hostname', 'cat', 'echo', 'ls', 'nslookup', 'ip', 'nc']) {
    symlinkSync('busybox', path.join(rootfs, 'bin', applet))
  }
  writeFileSync(path.join(rootfs, 'www', 'index.html'), 'setup-swarm test image\n')
  execFileSync('tar', ['-C', rootfs, '-cf', IMAGE_TAR, '.'])
  rmSync(rootfs, { recursive: true, force: true })
}
