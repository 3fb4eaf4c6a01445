import { describe, expect, it } from '@jest/globals'
import 'reflect-metadata'
import * as x509 from '@peculiar/x509'
import { X509Certificate, createPrivateKey } from 'node:crypto'
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { createAuthority, issueCertificate, loadAuthority, prepareRunTls } from '../../src/engine/tls.js'

describe('tls', () => {
  it('issues server and client certificates that chain to the run CA, with the node address as SAN', async () => {
    const ca = await createAuthority('test CA')
    const server = await issueCertificate(ca, 'node-1', 'server', { ips: ['198.18.0.2'], dnsNames: ['node-1'] })
    const client = await issueCertificate(ca, 'client', 'client')
    const caCert = new X509Certificate(ca.cert)
    const serverCert = new X509Certificate(server.cert)
    expect(caCert.ca).toBe(true)
    expect(serverCert.ca).toBe(false)
    expect(serverCert.verify(caCert.publicKey)).toBe(true)
    expect(new X509Certificate(client.cert).verify(caCert.publicKey)).toBe(true)
    expect(serverCert.checkIP('198.18.0.2')).toBe('198.18.0.2')
    expect(serverCert.checkHost('node-1')).toBe('node-1')
    expect(serverCert.checkIP('198.18.0.3')).toBeUndefined()
    expect(serverCert.keyUsage).toEqual(['1.3.6.1.5.5.7.3.1'])
    expect(new X509Certificate(client.cert).keyUsage).toEqual(['1.3.6.1.5.5.7.3.2'])
    expect(createPrivateKey(server.key).asymmetricKeyType).toBe('ec')
  })

  it('signs with a CA the user brings: RSA with a PKCS#1 key, as docker-machine writes one', async () => {
    const rsa = { name: 'RSASSA-PKCS1-v1_5', modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]), hash: 'SHA-256' }
    const keys = await crypto.subtle.generateKey(rsa, true, ['sign', 'verify'])
    const caCert = await x509.X509CertificateGenerator.createSelfSigned({
      serialNumber: '01',
      name: 'CN=user CA',
      keys,
      signingAlgorithm: rsa,
      extensions: [new x509.BasicConstraintsExtension(true, undefined, true)]
    })
    const pkcs8 = Buffer.from(await crypto.subtle.exportKey('pkcs8', keys.privateKey))
    const pkcs1Pem = createPrivateKey({ key: pkcs8, format: 'der', type: 'pkcs8' }).export({ type: 'pkcs1', format: 'pem' }).toString()
    expect(pkcs1Pem).toContain('BEGIN RSA PRIVATE KEY')

    const authority = await loadAuthority(caCert.toString('pem'), pkcs1Pem)
    const leaf = new X509Certificate((await issueCertificate(authority, 'n', 'server', { ips: ['10.0.0.1'] })).cert)
    const ca = new X509Certificate(caCert.toString('pem'))
    expect(leaf.checkIssued(ca)).toBe(true)
    expect(leaf.verify(ca.publicKey)).toBe(true)
  })

  it('writes the client directory and, apart from it, the CA key: 0700 directories, 0600 files', async () => {
    const root = mkdtempSync(path.join(os.tmpdir(), 'tls-'))
    const [clientDir, caDir] = [path.join(root, 'tls'), path.join(root, 'ca')]
    try {
      const tls = await prepareRunTls(clientDir, caDir, undefined)
      expect(readdirSync(clientDir).sort()).toEqual(['ca.pem', 'cert.pem', 'key.pem'])
      expect(readdirSync(caDir)).toEqual(['ca-key.pem'])
      for (const dir of [clientDir, caDir]) {
        expect(statSync(dir).mode & 0o777).toBe(0o700)
        for (const file of readdirSync(dir)) expect(statSync(path.join(dir, file)).mode & 0o777).toBe(0o600)
      }
      expect(tls.files).toEqual({
        caCert: path.join(clientDir, 'ca.pem'),
        caKey: path.join(caDir, 'ca-key.pem'),
        clientCert: path.join(clientDir, 'cert.pem'),
        clientKey: path.join(clientDir, 'key.pem')
      })
    } finally {
      rmSync(root, { recursive: true, force: true })
    }
  })

  it('names the tls input it cannot read', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'tls-'))
    try {
      writeFileSync(path.join(dir, 'ca.pem'), 'x')
      const files = {
        caCert: path.join(dir, 'ca.pem'),
        caKey: path.join(dir, 'missing'),
        clientCert: path.join(dir, 'ca.pem'),
        clientKey: path.join(dir, 'ca.pem')
      }
      await expect(prepareRunTls(path.join(dir, 'out'), path.join(dir, 'ca'), files)).rejects.toThrow('input `tls-ca-key`: cannot read')
      expect(readFileSync(path.join(dir, 'ca.pem'), 'utf8')).toBe('x')
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })
})
