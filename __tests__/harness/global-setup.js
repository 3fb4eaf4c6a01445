// Prepares a fresh Debian machine for the integration tests (as root): the engines'
// packages, and a tiny image's rootfs (no registry here: the tests `docker import` it).
import { execFileSync, spawnSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync, copyFileSync, chmodSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'

const TEST_TMP = path.join(os.tmpdir(), 'setup-swarm-tests')
export const IMAGE_TAR = path.join(TEST_TMP, 'busybox.tar')

const PACKAGES = { dockerd: 'docker.io', ip: 'iproute2', iptables: 'iptables', nsenter: 'util-linux', busybox: 'busybox-static' }

const has = (command) => spawnSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' }).status === 0

export default async function globalSetup() {
  rmSync(TEST_TMP, { recursive: true, force: true })
  // Traversable, not listable: each job's directory is 0700 (its outputs hold join tokens).
  mkdirSync(TEST_TMP, { recursive: true, mode: 0o711 })
  if (process.platform !== 'linux' || process.getuid() !== 0) return
  const missing = Object.entries(PACKAGES)
    .filter(([command]) => !has(command))
    .map(([, pkg]) => pkg)
  if (missing.length) {
    console.log(`installing ${missing.join(' ')}`)
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' }
    execFileSync('apt-get', ['update', '-q'], { stdio: 'inherit', env })
    execFileSync('apt-get', ['install', '-y', '-q', '--no-install-recommends', ...missing], { stdio: 'inherit', env })
  }
  const busybox = execFileSync('sh', ['-c', 'command -v busybox'], { encoding: 'utf8' }).trim()
  const rootfs = mkdtempSync(path.join(TEST_TMP, 'rootfs-'))
  mkdirSync(path.join(rootfs, 'bin'))
  mkdirSync(path.join(rootfs, 'www'))
  mkdirSync(path.join(rootfs, 'tmp'))
  copyFileSync(busybox, path.join(rootfs, 'bin', 'busybox'))
  chmodSync(path.join(rootfs, 'bin', 'busybox'), 0o755)
  for (const applet of ['sh', 'httpd', 'wget', 'sleep', 'hostname', 'cat', 'echo', 'ls', 'nslookup', 'ip', 'nc']) {
    symlinkSync('busybox', path.join(rootfs, 'bin', applet))
  }
  writeFileSync(path.join(rootfs, 'www', 'index.html'), 'setup-swarm test image\n')
  execFileSync('tar', ['-C', rootfs, '-cf', IMAGE_TAR, '.'])
  rmSync(rootfs, { recursive: true, force: true })
}
