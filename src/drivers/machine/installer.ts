import * as core from '@actions/core'
import * as tc from '@actions/tool-cache'
import { createHash } from 'node:crypto'
import { createReadStream } from 'node:fs'
import { chmod, mkdtemp, readFile, rm } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import type { MachineInputs } from '../../inputs.js'

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

/** Installs docker-machine into the tool cache (or finds it there), puts it on PATH, returns its path. */
export async function installMachine(machine: MachineInputs): Promise<string> {
  const version = machine.version.replace(/^v/, '')
  const cached = tc.find(TOOL, version)
  if (cached) {
    core.info(`docker-machine ${machine.version} found in the tool cache`)
    core.addPath(cached)
    return path.join(cached, executableName())
  }
  // tool-cache would leave its downloads in RUNNER_TEMP: ours go into a directory we remove.
  const downloads = await mkdtemp(path.join(process.env.RUNNER_TEMP || os.tmpdir(), 'setup-swarm-download-'))
  try {
    const asset = assetName()
    const url = `${machine.url}/${machine.version}/${asset}`
    core.info(`downloading ${url}`)
    const downloaded = await bounded(tc.downloadTool(url, path.join(downloads, asset)), `downloading ${url}`).catch((error: Error) => {
      throw new Error(`cannot download docker-machine from ${url}: ${error.message}; check \`machine-version\` and \`machine-url\``)
    })
    const expected = machine.sha256 || (await publishedChecksum(machine, asset, downloads))
    const actual = await sha256Of(downloaded)
    if (actual !== expected) {
      throw new Error(
        `the SHA-256 of ${url} is ${actual}, expected ${expected}; the download is corrupt or the checksum is wrong (\`machine-sha256\`)`
      )
    }
    await chmod(downloaded, 0o755)
    const dir = await tc.cacheFile(downloaded, executableName(), TOOL, version)
    core.addPath(dir)
    core.info(`docker-machine ${machine.version} installed, SHA-256 ${actual}`)
    return path.join(dir, executableName())
  } finally {
    await rm(downloads, { recursive: true, force: true })
  }
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
