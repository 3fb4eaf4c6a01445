import { describe, expect, it } from '@jest/globals'
import { assetName, parseChecksumFile } from '../../src/drivers/machine/installer.js'

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
