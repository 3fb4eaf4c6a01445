import * as core from '@actions/core'
import { GetConsoleOutputCommand, type EC2Client } from '@aws-sdk/client-ec2'
import { writeFile } from 'node:fs/promises'
import { pollUntil, type Deadline } from '../../tools/wait.js'
import { hasCode } from '../ec2/errors.js'

// An instance's SSH host keys, read from its console output (GetConsoleOutput) and never trusted
// on first use: the console is written by the instance itself and read only with the cluster's AWS
// credentials, so a key found there is the host's own. The user data prints them at its start, as
// cloud-init's keys-to-console does once every user script has run.

const BEGIN = '-----BEGIN SSH HOST KEY KEYS-----'
const END = '-----END SSH HOST KEY KEYS-----'
/**
 * What may stand before a line on the console: nothing (cloud-init's keys block), the journal's
 * `[   12.345678] cloud-init[1234]: ` (a user script's output), syslog's `<14>Dec  6 07:46:22 cloud-init: `
 * (cloud-init's fingerprints) or `ec2: ` (older cloud-init). A line with any other prefix is not a key line.
 */
const PREFIX = /^(?:ec2: |\[ *\d+\.\d+\] cloud-init\[\d+\]: |<\d+>\w{3} [ \d]\d \d\d:\d\d:\d\d cloud-init: )?/
/** `<type> <base64>`: the comment (root@host) is left out. */
const KEY_LINE = /^(ssh-ed25519|ecdsa-sha2-nistp(?:256|384|521)|ssh-rsa) (AAAA[0-9A-Za-z+/]+={0,3})(?: .*)?$/
const CONSOLE_POLL_MS = 2000
/** EC2's answer to `Latest` for an instance type that is not built on Nitro. */
const LATEST_UNSUPPORTED = ['UnsupportedOperation', 'InvalidParameterValue', 'InvalidParameterCombination']

/** A key blob names its own type first (RFC 4253 §6.6): a line cut short or mixed with other output does not. */
function wellFormed(type: string, base64: string): boolean {
  const blob = Buffer.from(base64, 'base64')
  if (blob.length < 4) return false
  const length = blob.readUInt32BE(0)
  return length === type.length && blob.subarray(4, 4 + length).toString('latin1') === type
}

/**
 * The host keys of the console text's first complete block, or none. The user data prints its block
 * first thing, before any output of a program that could print one; cloud-init's comes last.
 */
export function hostKeysFromConsole(text: string): string[] {
  let block: string[] | undefined
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.replace(PREFIX, '').trim()
    if (line === BEGIN) block = []
    else if (line === END && block) {
      if (block.length) return block
      block = undefined
    } else if (block) {
      const match = KEY_LINE.exec(line)
      if (match && wellFormed(match[1], match[2])) block.push(`${match[1]} ${match[2]}`)
      else block = undefined // a block with a line that is no key is not the host's list
    }
  }
  return []
}

/** Waits, bounded by `deadline`, until the instance's console shows its host keys. */
export async function waitForHostKeys(client: EC2Client, instanceId: string, deadline: Deadline, node: string): Promise<string[]> {
  let keys: string[] = []
  // Only Nitro instances have the console as it is now; others post it after boot, which takes longer.
  let latest = true
  await pollUntil(
    deadline,
    `${node}'s SSH host keys on its console (${instanceId})`,
    async () => {
      const answer = await client
        .send(new GetConsoleOutputCommand({ InstanceId: instanceId, ...(latest ? { Latest: true } : {}) }))
        .catch((error: unknown) => {
          if (!latest || !hasCode(error, ...LATEST_UNSUPPORTED)) throw error
          latest = false
          core.info(
            `${node}: its instance type gives no live console (it is not built on Nitro); waiting for the console EC2 posts after boot, which takes minutes: a Nitro type such as t3.small is faster`
          )
          return undefined
        })
      keys = hostKeysFromConsole(Buffer.from(answer?.Output ?? '', 'base64').toString('utf8'))
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
