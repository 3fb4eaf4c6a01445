import { GetConsoleOutputCommand, type EC2Client } from '@aws-sdk/client-ec2'
import { writeFile } from 'node:fs/promises'
import { pollUntil, type Deadline } from '../../tools/wait.js'

// An instance's SSH host keys, read from its console output (GetConsoleOutput) and never trusted
// on first use: the console is written by the instance itself and read only with the cluster's AWS
// credentials, so a key found there is the host's own. The user data prints them at its start, as
// cloud-init's keys-to-console does once every user script has run; either block will do.

const BEGIN = '-----BEGIN SSH HOST KEY KEYS-----'
const END = '-----END SSH HOST KEY KEYS-----'
/** `<type> <base64>`: the comment (root@host) is left out. */
const KEY_LINE = /^(ssh-ed25519|ecdsa-sha2-nistp(?:256|384|521)|ssh-rsa) (AAAA[0-9A-Za-z+/]+={0,3})(?: .*)?$/
const CONSOLE_POLL_MS = 2000

/** The host keys of the console text's last complete block, or none. Lines may carry a prefix (`ec2: `). */
export function hostKeysFromConsole(text: string): string[] {
  let keys: string[] = []
  let block: string[] | undefined
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.replace(/^.*?(?=-----|ssh-|ecdsa-)/, '').trim()
    if (line === BEGIN) block = []
    else if (line === END && block) {
      if (block.length) keys = block
      block = undefined
    } else if (block) {
      const match = KEY_LINE.exec(line)
      if (match) block.push(`${match[1]} ${match[2]}`)
    }
  }
  return keys
}

/** Waits, bounded by `deadline`, until the instance's console shows its host keys. */
export async function waitForHostKeys(client: EC2Client, instanceId: string, deadline: Deadline, node: string): Promise<string[]> {
  let keys: string[] = []
  await pollUntil(
    deadline,
    `${node}'s SSH host keys on its console (${instanceId})`,
    async () => {
      const answer = await client.send(new GetConsoleOutputCommand({ InstanceId: instanceId, Latest: true }))
      keys = hostKeysFromConsole(Buffer.from(answer.Output ?? '', 'base64').toString('utf8'))
      return keys.length > 0
    },
    { intervalMs: CONSOLE_POLL_MS, progressEveryMs: 30_000 }
  )
  return keys
}

/** A known_hosts file that holds exactly these keys for `address`: ssh then refuses any other host. */
export async function writeKnownHosts(file: string, address: string, keys: string[]): Promise<void> {
  await writeFile(file, keys.map((key) => `${address} ${key}\n`).join(''), { mode: 0o600 })
}
