import * as core from '@actions/core'
import { generateKeyPairSync } from 'node:crypto'
import { DeleteKeyPairCommand, DescribeKeyPairsCommand, ImportKeyPairCommand, type EC2Client } from '@aws-sdk/client-ec2'
import { describeError, hasCode, throwIfCredentials } from './errors.js'
import { clusterFilters, tagSpecifications, type ClusterLabels } from './tags.js'

/**
 * Imports a node's public key as a key pair tagged with the cluster. docker-machine imports
 * its own untagged; one imported here (passed with --amazonec2-keypair-name and
 * --amazonec2-ssh-keypath) lets destroy find even an untagged instance with no local state.
 */
export async function importKeyPair(client: EC2Client, name: string, publicKey: string, labels: ClusterLabels): Promise<string> {
  const imported = await client.send(
    new ImportKeyPairCommand({
      KeyName: name,
      PublicKeyMaterial: new TextEncoder().encode(publicKey),
      TagSpecifications: tagSpecifications(labels, name, 'key-pair')
    })
  )
  core.info(`imported key pair ${name}`)
  return imported.KeyPairId ?? name
}

export interface ClusterKeyPair {
  name: string
  id?: string
  /** No instance launched before this used this key pair. */
  created?: Date
}

/** Key pairs tagged with the cluster. */
export async function findClusterKeyPairs(client: EC2Client, cluster: string, repository?: string, run?: string): Promise<ClusterKeyPair[]> {
  const { KeyPairs: keyPairs = [] } = await client.send(new DescribeKeyPairsCommand({ Filters: clusterFilters(cluster, repository, run) }))
  return keyPairs.filter((pair) => pair.KeyName).map((pair) => ({ name: pair.KeyName!, id: pair.KeyPairId, created: pair.CreateTime }))
}

/** Deletes key pairs by name; one already missing counts as removed. Returns the names removed and a leftover line per failure. */
export async function deleteKeyPairs(client: EC2Client, names: string[], region: string): Promise<{ removed: string[]; leftovers: string[] }> {
  const removed: string[] = []
  const leftovers: string[] = []
  for (const name of new Set(names)) {
    try {
      await client.send(new DeleteKeyPairCommand({ KeyName: name }))
    } catch (error) {
      if (!hasCode(error, 'InvalidKeyPair.NotFound')) {
        throwIfCredentials(error, `deleting key pair ${name} in ${region}`)
        leftovers.push(
          `key pair ${name} in ${region}: ${describeError(error)}; delete it by hand: aws ec2 delete-key-pair --region ${region} --key-name ${name}`
        )
        continue
      }
    }
    core.info(`deleted key pair ${name}`)
    removed.push(name)
  }
  return { removed, leftovers }
}

/**
 * A new RSA key for SSH: the private key as PKCS#1 PEM (what docker-machine's SSH client reads)
 * and the public key in OpenSSH's `ssh-rsa` format (what ImportKeyPair takes).
 */
export function generateSshKey(): { privateKey: string; publicKey: string } {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 3072 })
  const jwk = publicKey.export({ format: 'jwk' })
  // RFC 4253: string "ssh-rsa", mpint e, mpint n; an mpint with its top bit set gets a zero byte in front.
  const field = (bytes: Buffer) => {
    const body = bytes[0] & 0x80 ? Buffer.concat([Buffer.from([0]), bytes]) : bytes
    const length = Buffer.alloc(4)
    length.writeUInt32BE(body.length)
    return Buffer.concat([length, body])
  }
  const blob = Buffer.concat([field(Buffer.from('ssh-rsa')), field(Buffer.from(jwk.e!, 'base64url')), field(Buffer.from(jwk.n!, 'base64url'))])
  return { privateKey: privateKey.export({ type: 'pkcs1', format: 'pem' }).toString(), publicKey: `ssh-rsa ${blob.toString('base64')} setup-swarm` }
}
