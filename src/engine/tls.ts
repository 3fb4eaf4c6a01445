// tsyringe, under @peculiar/x509, needs the Reflect metadata API before it loads.
import 'reflect-metadata'
import * as x509 from '@peculiar/x509'
import { createPrivateKey, randomBytes } from 'node:crypto'
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises'
import path from 'node:path'
import type { TlsFiles } from '../inputs/index.js'
import type { EngineTls } from './api.js'

// Certificates are made in-process with @peculiar/x509 (WebCrypto): no openssl binary,
// whose flags differ between the runners' OpenSSL and macOS's LibreSSL, and no process per file.
const { subtle } = globalThis.crypto
x509.cryptoProvider.set(globalThis.crypto)

const EC = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const
const VALIDITY_DAYS = 30

export interface KeyPair {
  cert: string
  key: string
}

export interface Authority extends KeyPair {
  signingKey: CryptoKey
  subject: string
}

/** The files a Docker client (and DOCKER_CERT_PATH) expects. */
export interface ClientCertDir {
  dir: string
  ca: string
  cert: string
  key: string
}

export async function createAuthority(commonName: string): Promise<Authority> {
  const keys = await subtle.generateKey(EC, true, ['sign', 'verify'])
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: serialNumber(),
    name: `CN=${commonName}`,
    ...validity(),
    keys,
    signingAlgorithm: EC,
    extensions: [
      new x509.BasicConstraintsExtension(true, 0, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey)
    ]
  })
  return { cert: cert.toString('pem'), key: await exportKey(keys.privateKey), signingKey: keys.privateKey, subject: cert.subject }
}

/** An existing CA, as given by the `tls-ca-cert` and `tls-ca-key` inputs (any PEM key format). */
export async function loadAuthority(certPem: string, keyPem: string): Promise<Authority> {
  const cert = new x509.X509Certificate(certPem)
  const key = createPrivateKey(keyPem)
  const algorithm =
    key.asymmetricKeyType === 'ec'
      ? { name: 'ECDSA', namedCurve: namedCurve(key.asymmetricKeyDetails?.namedCurve), hash: 'SHA-256' }
      : { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' }
  const signingKey = await subtle.importKey('pkcs8', key.export({ type: 'pkcs8', format: 'der' }), algorithm, false, ['sign'])
  return { cert: certPem, key: keyPem, signingKey, subject: cert.subject }
}

export async function issueCertificate(
  ca: Authority,
  commonName: string,
  usage: 'server' | 'client',
  sans: { ips?: string[]; dnsNames?: string[] } = {}
): Promise<KeyPair> {
  const keys = await subtle.generateKey(EC, true, ['sign', 'verify'])
  const altNames = [
    ...(sans.ips ?? []).map((value) => ({ type: 'ip' as const, value })),
    ...(sans.dnsNames ?? []).map((value) => ({ type: 'dns' as const, value }))
  ]
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: serialNumber(),
    subject: `CN=${commonName}`,
    issuer: ca.subject,
    ...validity(),
    publicKey: keys.publicKey,
    signingKey: ca.signingKey,
    signingAlgorithm: ca.signingKey.algorithm.name === 'ECDSA' ? EC : { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' },
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyEncipherment, true),
      new x509.ExtendedKeyUsageExtension([usage === 'server' ? x509.ExtendedKeyUsage.serverAuth : x509.ExtendedKeyUsage.clientAuth]),
      ...(altNames.length ? [new x509.SubjectAlternativeNameExtension(altNames)] : [])
    ]
  })
  return { cert: cert.toString('pem'), key: await exportKey(keys.privateKey) }
}

/** The TLS material of a run: its CA (made now, or the user's) and the client certificate. */
export interface RunTls {
  authority?: Authority
  client: ClientCertDir
  /** Files of the CA and client, as docker-machine's --tls-* flags take them. */
  files: TlsFiles
}

/**
 * Makes (or loads) the CA and a client certificate. The client's files go into `clientDir`
 * (DOCKER_CERT_PATH for later steps); a CA key made here goes apart, into `caDir`. Directories
 * 0700, files 0600.
 */
export async function prepareRunTls(clientDir: string, caDir: string, userFiles: TlsFiles | undefined): Promise<RunTls> {
  await makePrivateDir(clientDir)
  const client = clientCertDir(clientDir)
  if (userFiles) {
    const [caCert, caKey, cert, key] = await Promise.all(
      [userFiles.caCert, userFiles.caKey, userFiles.clientCert, userFiles.clientKey].map((file, i) =>
        readFile(file, 'utf8').catch(() => {
          throw new Error(`input \`${['tls-ca-cert', 'tls-ca-key', 'tls-client-cert', 'tls-client-key'][i]}\`: cannot read ${file}`)
        })
      )
    )
    const authority = await loadAuthority(caCert, caKey)
    await writeSecretFiles([
      [client.ca, caCert],
      [client.cert, cert],
      [client.key, key]
    ])
    return { authority, client, files: userFiles }
  }
  const authority = await createAuthority('setup-swarm CA')
  const clientPair = await issueCertificate(authority, 'setup-swarm client', 'client')
  await makePrivateDir(caDir)
  const caKeyPath = path.join(caDir, 'ca-key.pem')
  await writeSecretFiles([
    [client.ca, authority.cert],
    [caKeyPath, authority.key],
    [client.cert, clientPair.cert],
    [client.key, clientPair.key]
  ])
  return { authority, client, files: { caCert: client.ca, caKey: caKeyPath, clientCert: client.cert, clientKey: client.key } }
}

export function clientCertDir(dir: string): ClientCertDir {
  return { dir, ca: path.join(dir, 'ca.pem'), cert: path.join(dir, 'cert.pem'), key: path.join(dir, 'key.pem') }
}

/** What the Engine API client needs to reach a node as the run's client. */
export async function readClientTls(client: ClientCertDir): Promise<EngineTls> {
  const [ca, cert, key] = await Promise.all([client.ca, client.cert, client.key].map((file) => readFile(file, 'utf8')))
  return { ca, cert, key }
}

export async function makePrivateDir(dir: string): Promise<void> {
  await mkdir(dir, { recursive: true, mode: 0o700 })
  await chmod(dir, 0o700)
}

/** Writes files that hold secrets: 0600 from the first byte. */
export async function writeSecretFiles(files: Array<[string, string]>): Promise<void> {
  await Promise.all(files.map(([file, content]) => writeFile(file, content, { mode: 0o600 })))
}

async function exportKey(key: CryptoKey): Promise<string> {
  const der = Buffer.from(await subtle.exportKey('pkcs8', key))
  return `-----BEGIN PRIVATE KEY-----\n${der
    .toString('base64')
    .replace(/(.{64})/g, '$1\n')
    .replace(/\n$/, '')}\n-----END PRIVATE KEY-----\n`
}

function namedCurve(curve: string | undefined): string {
  const names: Record<string, string> = { prime256v1: 'P-256', secp384r1: 'P-384', secp521r1: 'P-521' }
  if (!curve || !names[curve])
    throw new Error(`input \`tls-ca-key\`: the EC curve ${curve ?? '(unknown)'} is not supported; use P-256, P-384, P-521 or RSA`)
  return names[curve]
}

function serialNumber(): string {
  // Positive: the top bit of the first byte is clear.
  const bytes = randomBytes(16)
  bytes[0] &= 0x7f
  return bytes.toString('hex')
}

function validity(): { notBefore: Date; notAfter: Date } {
  // Backdated a little so that a node whose clock lags the runner's accepts it.
  const notBefore = new Date(Date.now() - 60 * 60 * 1000)
  return { notBefore, notAfter: new Date(notBefore.getTime() + VALIDITY_DAYS * 24 * 60 * 60 * 1000) }
}
