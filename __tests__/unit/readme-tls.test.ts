import { describe, expect, it } from '@jest/globals'
import { execFileSync } from 'node:child_process'
import { X509Certificate } from 'node:crypto'
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { issueCertificate, loadAuthority } from '../../src/engine/tls.js'
import { ROOT } from '../harness/action.js'

// The README's one-time commands for the CA a kept cluster is reached with: run as written (but
// `gh secret set`, which needs GitHub), their output must be what setup-swarm's tls-* inputs take.

const commands = () => {
  const readme = readFileSync(path.join(ROOT, 'README.md'), 'utf8')
  const block = [...readme.matchAll(/^```sh\n([\s\S]*?)^```$/gm)].map((match) => match[1]).find((text) => text.includes('openssl ecparam'))
  if (!block) throw new Error('the README shows no one-time CA commands')
  return block
}

describe("the README's one-time CA commands", () => {
  it('make a CA and a client certificate it signed for client authentication, and leave no key behind', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'readme-ca-'))
    try {
      const script = commands()
        .split('\n')
        .filter((line) => !line.startsWith('gh secret set'))
        .join('\n')
      execFileSync('bash', ['-euo', 'pipefail', '-c', script], { cwd: dir, stdio: 'pipe' })
      // Only the four secrets' sources are meant to be left until they are stored; the script removes the rest.
      for (const file of ['ca.pem', 'cert.pem']) expect(existsSync(path.join(dir, file))).toBe(true)
      for (const file of ['ca-key.pem', 'key.pem', 'client.csr', 'ca.srl']) expect(existsSync(path.join(dir, file))).toBe(false)
      const caPem = readFileSync(path.join(dir, 'ca.pem'), 'utf8')
      const ca = new X509Certificate(caPem)
      const client = new X509Certificate(readFileSync(path.join(dir, 'cert.pem'), 'utf8'))
      expect(ca.ca).toBe(true)
      expect(client.verify(ca.publicKey)).toBe(true)
      expect(client.checkIssued(ca)).toBe(true)
      expect(client.keyUsage).toEqual(['1.3.6.1.5.5.7.3.2'])
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })

  it('make a CA key the action loads', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'readme-ca-'))
    try {
      // The same commands, up to before the keys are removed: the action reads the CA key from its file.
      const script = commands()
        .split('\n')
        .filter((line) => !line.startsWith('gh secret set') && !line.startsWith('rm '))
        .join('\n')
      execFileSync('bash', ['-euo', 'pipefail', '-c', script], { cwd: dir, stdio: 'pipe' })
      const authority = await loadAuthority(readFileSync(path.join(dir, 'ca.pem'), 'utf8'), readFileSync(path.join(dir, 'ca-key.pem'), 'utf8'))
      const server = await issueCertificate(authority, 'node', 'server', { ips: ['198.18.0.2'] })
      expect(new X509Certificate(server.cert).verify(new X509Certificate(authority.cert).publicKey)).toBe(true)
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })
})
