import { afterEach, beforeEach, describe, expect, it } from '@jest/globals'
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { assetName, cacheVersion, installMachine, parseChecksumFile } from '../../src/drivers/machine/installer.js'
import type { MachineInputs } from '../../src/inputs/index.js'
import { startReleaseServer, type ReleaseServer } from '../fixtures/release-server.js'

describe('installer', () => {
  it.each([
    ['linux', 'x64', 'docker-machine-Linux-x86_64'],
    ['linux', 'arm64', 'docker-machine-Linux-aarch64'],
    ['darwin', 'x64', 'docker-machine-Darwin-x86_64'],
    ['darwin', 'arm64', 'docker-machine-Darwin-arm64'],
    ['win32', 'x64', 'docker-machine-Windows-x86_64.exe']
  ])('names the %s/%s asset %s', (platform, arch, name) => {
    expect(assetName(platform as NodeJS.Platform, arch)).toBe(name)
  })

  it('says which runners have no release', () => {
    expect(() => assetName('linux', 's390x')).toThrow('docker-machine has no release for linux/s390x')
    expect(() => assetName('aix', 'x64')).toThrow('no release for aix/x64')
  })

  it('reads sha256sum files in text and binary mode, with or without paths', () => {
    const a = 'a'.repeat(64)
    const b = 'B'.repeat(64)
    const text = `${a}  docker-machine-Darwin-x86_64\n${b} *dist/docker-machine-Linux-x86_64\n`
    expect(parseChecksumFile(text, 'docker-machine-Linux-x86_64')).toBe('b'.repeat(64))
    expect(parseChecksumFile(text, 'docker-machine-Darwin-x86_64')).toBe(a)
    expect(parseChecksumFile(text, 'docker-machine-Windows-x86_64.exe')).toBeUndefined()
    expect(parseChecksumFile('not a checksum file', 'docker-machine-Linux-x86_64')).toBeUndefined()
  })
})

describe('the tool cache', () => {
  const VERSION = 'v0.16.2-gitlab.59'
  const asset = assetName()
  let dir: string
  let release: ReleaseServer
  let binary: string
  const saved = { ...process.env }

  beforeEach(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'installer-'))
    binary = path.join(dir, 'release-binary')
    writeFileSync(binary, '#!/bin/sh\necho docker-machine version 0.16.2\n')
    release = await startReleaseServer({ version: VERSION, binaryPath: binary, checksumStyle: 'gitlab' })
    for (const sub of ['tool-cache', 'temp']) mkdirSync(path.join(dir, sub))
    writeFileSync(path.join(dir, 'path'), '')
    Object.assign(process.env, {
      RUNNER_TOOL_CACHE: path.join(dir, 'tool-cache'),
      RUNNER_TEMP: path.join(dir, 'temp'),
      GITHUB_PATH: path.join(dir, 'path')
    })
  })

  afterEach(async () => {
    process.env = { ...saved }
    await release.close()
    rmSync(dir, { recursive: true, force: true })
  })

  const inputs = (extra: Partial<MachineInputs> = {}): MachineInputs => ({
    version: VERSION,
    url: release.url,
    sha256: '',
    driverOpts: [],
    concurrency: 1,
    retries: 0,
    ...extra
  })
  const cachedAt = (url = release.url) =>
    path.join(dir, 'tool-cache', 'docker-machine', cacheVersion(VERSION, `${url}/${VERSION}/${asset}`), os.arch())
  /** What someone with write access to the tool cache leaves there: a docker-machine of their own. */
  const plant = (toolDir: string) => {
    mkdirSync(toolDir, { recursive: true })
    writeFileSync(path.join(toolDir, 'docker-machine'), '#!/bin/sh\necho planted\n', { mode: 0o755 })
    writeFileSync(`${toolDir}.complete`, '')
    return path.join(toolDir, 'docker-machine')
  }

  it('is keyed by the release and its URL: a semver that tool-cache keeps whole', () => {
    const key = cacheVersion('v0.16.2-gitlab.59', 'https://mirror.example/v0.16.2-gitlab.59/docker-machine-Linux-x86_64')
    expect(key).toMatch(/^0\.16\.2-gitlab\.59\.url-[0-9a-f]{16}$/)
    expect(cacheVersion('v0.16.2', 'https://github.com/x')).toMatch(/^0\.16\.2-url-[0-9a-f]{16}$/)
    expect(cacheVersion('v0.16.2-gitlab.59', 'https://other.example/v0.16.2-gitlab.59/docker-machine-Linux-x86_64')).not.toBe(key)
    expect(() => cacheVersion('../../../x', 'https://mirror.example')).toThrow(
      'input `machine-version`: "../../../x" is not a docker-machine release'
    )
  })

  it('is filled from a verified download, and checked again on every later use', async () => {
    const first = await installMachine(inputs())
    expect(first).toEqual({ binary: path.join(cachedAt(), 'docker-machine'), sha256: release.sha256 })
    expect(release.requests).toEqual([`/${VERSION}/${asset}`, `/${VERSION}/release.sha256`])
    // A later use downloads no binary: it checks the cached one against the release's checksum file, or against machine-sha256.
    expect(await installMachine(inputs())).toEqual(first)
    expect(await installMachine(inputs({ sha256: release.sha256 }))).toEqual(first)
    expect(release.requests).toEqual([`/${VERSION}/${asset}`, `/${VERSION}/release.sha256`, `/${VERSION}/release.sha256`])
  })

  it('refuses a planted binary under the key, naming its path, whether machine-sha256 is given or the checksum file is used', async () => {
    const planted = plant(cachedAt())
    for (const sha256 of [release.sha256, '']) {
      await expect(installMachine(inputs({ sha256 }))).rejects.toThrow(
        new RegExp(
          `^the cached docker-machine ${planted} has SHA-256 [0-9a-f]{64}, expected ${release.sha256} \\(.*\\): it is not the release of ${release.url}/${VERSION}/${asset}, and was not run; remove ${cachedAt()} from the tool cache$`
        )
      )
    }
    expect(readFileSync(planted, 'utf8')).toBe('#!/bin/sh\necho planted\n')
  })

  it('never takes a binary cached under the bare version (as before) or from another URL', async () => {
    const bare = plant(path.join(dir, 'tool-cache', 'docker-machine', VERSION.slice(1), os.arch()))
    const otherUrl = plant(cachedAt('https://mirror.example'))
    // The reproduction: a planted binary under the bare version and a machine-sha256 that matches nothing.
    await expect(installMachine(inputs({ sha256: '0'.repeat(64) }))).rejects.toThrow(
      `the SHA-256 of ${release.url}/${VERSION}/${asset} is ${release.sha256}, expected ${'0'.repeat(64)}`
    )
    const installed = await installMachine(inputs())
    expect([bare, otherUrl]).not.toContain(installed.binary)
    expect(readFileSync(installed.binary)).toEqual(readFileSync(binary))
  })
})
