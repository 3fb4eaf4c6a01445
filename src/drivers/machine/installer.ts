import * as core from '@actions/core'
import * as tc from '@actions/tool-cache'
import { createHash } from 'node:crypto'
import { createReadStream } from 'node:fs'
import { chmod, mkdtemp, readFile, rm } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import type { MachineInputs } from '../../inputs/index.js'
import { checkMachineVersion } from '../../inputs/names.js'

const TOOL = 'docker-machine'
const DOWNLOAD_TIMEOUT_MS = 5 * 60_000
/** Checksum files published beside the assets: the GitLab fork's, then upstream's. */
const CHECKSUM_FILES = ['release.sha256', 'sha256sum.txt']

/** The release asset for a runner, as docker-machine names them (`uname -s`-`uname -m`). */
export function assetName(platform: NodeJS.Platform = process.platform, arch: string = process.arch): string {
  const os = { linux: 'Linux', darwin: 'Darwin', win32: 'Windows' }[platform as string]
  const cpu = { x64: 'x86_64', arm64: platform === 'linux' ? 'aarch64' : 'arm64' }[arch]
  if (!os || !cpu) throw new Error(`docker-machine has no release for ${platform}/${arch}; use a Linux, macOS or Windows runner on x64 or arm64`)
  return `${TOOL}-${os}-${cpu}${platform === 'win32' ? '.exe' : ''}`
}

const executableName = (): string => (process.platform === 'win32' ? `${TOOL}.exe` : TOOL)

export interface InstalledMachine {
  binary: string
  /** Its SHA-256, verified against `machine-sha256` or the release's checksum file. */
  sha256: string
}

/**
 * The tool cache's version for a release: the release, and a hash of the URL it is downloaded from,
 * so that a binary cached from another `machine-url` is never taken for this one. tool-cache keys by
 * semver, and semver drops build metadata (`+…`): the hash is the last prerelease identifier.
 */
export function cacheVersion(version: string, url: string): string {
  const release = checkMachineVersion(version).replace(/^v/, '')
  const urlHash = createHash('sha256').update(url).digest('hex').slice(0, 16)
  return `${release}${release.includes('-') ? '.' : '-'}url-${urlHash}`
}

/**
 * Installs docker-machine into the tool cache, or finds it there, puts it on PATH, and returns its
 * path. The tool cache is shared by every job of a self-hosted runner (and a planted binary there
 * would receive the CA key and cloud credentials), so a cached binary is checked on every use, as a
 * download is: against `machine-sha256`, or the checksum file published beside the release.
 */
export async function installMachine(machine: MachineInputs): Promise<InstalledMachine> {
  const asset = assetName()
  const url = `${machine.url}/${machine.version}/${asset}`
  const version = cacheVersion(machine.version, url)
  // tool-cache would leave its downloads in RUNNER_TEMP: ours go into a directory we remove.
  const downloads = await mkdtemp(path.join(process.env.RUNNER_TEMP || os.tmpdir(), 'setup-swarm-download-'))
  const expectedSha256 = async () => machine.sha256 || (await publishedChecksum(machine, asset, downloads))
  try {
    const cached = tc.find(TOOL, version)
    if (cached) {
      const binary = path.join(cached, executableName())
      const expected = await expectedSha256()
      const from = machine.sha256 ? '`machine-sha256`' : `the checksum file of ${machine.version}`
      const sha256 = await verified(
        binary,
        expected,
        (actual) =>
          `the cached docker-machine ${binary} has SHA-256 ${actual}, expected ${expected} (${from}): it is not the release of ${url}, and was not run; remove ${cached} from the tool cache`
      )
      core.info(`docker-machine ${machine.version} found in the tool cache (${cached}), SHA-256 ${sha256}`)
      core.addPath(cached)
      return { binary, sha256 }
    }
    core.info(`downloading ${url}`)
    const downloaded = await bounded(tc.downloadTool(url, path.join(downloads, asset)), `downloading ${url}`).catch((error: Error) => {
      throw new Error(`cannot download docker-machine from ${url}: ${error.message}; check \`machine-version\` and \`machine-url\``)
    })
    const expected = await expectedSha256()
    const sha256 = await verified(
      downloaded,
      expected,
      (actual) => `the SHA-256 of ${url} is ${actual}, expected ${expected}; the download is corrupt or the checksum is wrong (\`machine-sha256\`)`
    )
    await chmod(downloaded, 0o755)
    const dir = await tc.cacheFile(downloaded, executableName(), TOOL, version)
    core.addPath(dir)
    core.info(`docker-machine ${machine.version} installed, SHA-256 ${sha256}`)
    return { binary: path.join(dir, executableName()), sha256 }
  } finally {
    await rm(downloads, { recursive: true, force: true })
  }
}

/**
 * Refuses a docker-machine that a record names (the diagnose action reads it from cluster.json)
 * unless it is the one main installed: in this runner's tool cache, with the SHA-256 main verified.
 */
export async function checkInstalledMachine(binary: string, sha256: string | undefined): Promise<void> {
  const cacheRoot = path.join(process.env.RUNNER_TOOL_CACHE || '', TOOL)
  // <tool cache>/docker-machine/<version>/<arch>/docker-machine, as tool-cache lays it out.
  const parts = path.relative(cacheRoot, binary).split(path.sep)
  const inCache = process.env.RUNNER_TOOL_CACHE && parts.length === 3 && !parts.includes('..') && parts[2] === executableName()
  if (!inCache || !sha256) throw new Error(`${binary} is not a docker-machine this action installed in ${cacheRoot}: not running it`)
  await verified(
    binary,
    sha256,
    (actual) => `${binary} has SHA-256 ${actual}, not that of the docker-machine main installed (${sha256}): not running it`
  )
}

/** The file's SHA-256, when it is the expected one; otherwise `mismatch` says what is wrong. */
async function verified(file: string, expected: string, mismatch: (actual: string) => string): Promise<string> {
  const actual = await sha256Of(file)
  if (actual !== expected) throw new Error(mismatch(actual))
  return actual
}

async function publishedChecksum(machine: MachineInputs, asset: string, downloads: string): Promise<string> {
  const tried: string[] = []
  for (const file of CHECKSUM_FILES) {
    const url = `${machine.url}/${machine.version}/${file}`
    tried.push(url)
    const downloaded = await bounded(tc.downloadTool(url, path.join(downloads, file)), `downloading ${url}`).catch(() => undefined)
    if (!downloaded) continue
    const sum = parseChecksumFile(await readFile(downloaded, 'utf8'), asset)
    if (sum) return sum
    throw new Error(`${url} has no checksum for ${asset}; pass \`machine-sha256\``)
  }
  throw new Error(`no checksum published for docker-machine ${machine.version} (tried ${tried.join(', ')}); pass \`machine-sha256\``)
}

/** Reads `sha256sum` output: "<hex>  <file>" or "<hex> *<file>". */
export function parseChecksumFile(text: string, asset: string): string | undefined {
  for (const line of text.split('\n')) {
    const match = /^([0-9a-fA-F]{64})\s+\*?(\S.*)$/.exec(line.trim())
    if (match && path.basename(match[2].trim()) === asset) return match[1].toLowerCase()
  }
  return undefined
}

function sha256Of(file: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const hash = createHash('sha256')
    createReadStream(file)
      .on('data', (chunk) => hash.update(chunk))
      .on('end', () => resolve(hash.digest('hex')))
      .on('error', reject)
  })
}

function bounded<T>(work: Promise<T>, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} took longer than ${DOWNLOAD_TIMEOUT_MS / 1000} s`)), DOWNLOAD_TIMEOUT_MS)
  })
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer))
}
