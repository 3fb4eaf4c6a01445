import { realpathSync } from 'node:fs'
import { readFile } from 'node:fs/promises'

// A node's resolv.conf is made by the action and bind-mounted over the host's inside the node's
// mount namespace; it goes with the cluster's files.

/**
 * The name servers a node can reach. A loopback stub resolver (systemd-resolved's
 * 127.0.0.53) is not reachable from a node's namespace: use the servers behind it.
 */
export async function nodeResolvConf(files = { host: '/etc/resolv.conf', behindStub: '/run/systemd/resolve/resolv.conf' }): Promise<string> {
  const read = (file: string) => readFile(file, 'utf8').catch(() => '')
  const servers = (text: string) => text.split('\n').filter((line) => /^\s*nameserver\s/.test(line) && !/\s(127\.|::1)/.test(line))
  const main = await read(files.host)
  let found = servers(main)
  if (found.length === 0) found = servers(await read(files.behindStub))
  if (found.length === 0) found = ['nameserver 8.8.8.8', 'nameserver 1.1.1.1']
  const search = main.split('\n').filter((line) => /^\s*(search|domain)\s/.test(line))
  return [...search, ...found.map((line) => line.trim()), ''].join('\n')
}

/** Where the host's resolv.conf really is (often a link into /run), which the node mounts over. */
export function resolvConfTarget(): string {
  try {
    return realpathSync('/etc/resolv.conf')
  } catch {
    return '/etc/resolv.conf'
  }
}
