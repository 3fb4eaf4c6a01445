import { afterAll, describe, expect, it } from '@jest/globals'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { nodeResolvConf } from '../../src/drivers/local/resolv-conf.js'

const dir = mkdtempSync(path.join(os.tmpdir(), 'resolv-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

function files(host: string, behindStub?: string) {
  const paths = { host: path.join(dir, `host-${Math.random()}`), behindStub: path.join(dir, `stub-${Math.random()}`) }
  writeFileSync(paths.host, host)
  if (behindStub !== undefined) writeFileSync(paths.behindStub, behindStub)
  return paths
}

describe("a node's name servers", () => {
  it("uses the servers behind systemd-resolved's loopback stub, keeping the search domains", async () => {
    const conf = await nodeResolvConf(
      files('nameserver 127.0.0.53\noptions edns0 trust-ad\nsearch corp.example\n', 'nameserver 168.63.129.16\nnameserver ::1\n')
    )
    expect(conf).toBe('search corp.example\nnameserver 168.63.129.16\n')
  })

  it('keeps reachable servers as they are', async () => {
    expect(await nodeResolvConf(files('nameserver 10.255.255.53\nnameserver 127.0.0.1\n'))).toBe('nameserver 10.255.255.53\n')
  })

  it('falls back to public servers when every server is on loopback', async () => {
    expect(await nodeResolvConf(files('nameserver 127.0.0.53\n'))).toBe('nameserver 8.8.8.8\nnameserver 1.1.1.1\n')
  })
})
