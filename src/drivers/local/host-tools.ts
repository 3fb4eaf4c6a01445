import { findExecutable, run } from '../../tools/command.js'

/** What the local driver runs on the runner, and the Debian/Ubuntu package each comes from. */
const TOOLS = {
  dockerd: 'docker.io or docker-ce (dockerd)',
  ip: 'iproute2',
  iptables: 'iptables',
  'iptables-save': 'iptables',
  'iptables-restore': 'iptables',
  nsenter: 'util-linux',
  unshare: 'util-linux'
} as const
type Tool = keyof typeof TOOLS

export function tool(name: Tool): string {
  const found = findExecutable(name)
  if (!found) throw new Error(`${name} is not installed (package ${TOOLS[name]})`)
  return found
}

/** The tools the runner lacks, each with its package. */
export function missingTools(): string[] {
  return (Object.keys(TOOLS) as Tool[]).filter((name) => !findExecutable(name)).map((name) => `${name} (${TOOLS[name]})`)
}

/** Runs a command as root (sudo -n unless we are root), bounded. */
export const privileged = (
  name: Tool | 'kill' | 'rm' | 'sysctl' | 'rmdir' | 'umount' | 'mkdir' | 'cp' | 'sh',
  args: string[],
  input?: string,
  allowFailure = false
) => run(findExecutable(name) ?? name, args, { privileged: true, input, timeoutMs: 30_000, allowFailure })
