import type { KeyPair } from '../../engine/tls.js'
import { run, type RunResult } from '../../tools/command.js'
import { sleep, type Deadline } from '../../tools/wait.js'

// The one SSH session the action opens on a node: the engine's TLS files go in (on standard input,
// never on a command line), and once the user data has installed Docker the engine restarts with
// them, listening on 2376 with mutual TLS.

export interface SshTarget {
  /** The instance behind the address, for what the user is told to look at. */
  instanceId: string
  address: string
  user: string
  /** The cluster's private key (0600). */
  keyPath: string
  /** Holds exactly the host's keys, read from its console. */
  knownHosts: string
}

/** ssh's own exit code for a connection that failed (refused, timed out, host key mismatch). */
const SSH_FAILED = 255
/** Not a host that is still booting: one whose key is not the one its console showed. */
const HOST_KEY_REFUSED = /Host key verification failed|REMOTE HOST IDENTIFICATION HAS CHANGED/
const RETRY_MS = 2000
const CONNECT_TIMEOUT_S = 10

/** `ssh` as the action runs it: no user or system config, no agent, no prompt, only the given host key. */
export function sshArgs(target: SshTarget, command: string[]): string[] {
  return [
    ...['-F', '/dev/null', '-i', target.keyPath, '-o', 'IdentitiesOnly=yes', '-o', 'IdentityAgent=none', '-o', 'BatchMode=yes'],
    ...['-o', 'StrictHostKeyChecking=yes', '-o', `UserKnownHostsFile=${target.knownHosts}`, '-o', 'GlobalKnownHostsFile=/dev/null'],
    ...['-o', `ConnectTimeout=${CONNECT_TIMEOUT_S}`, '-o', 'ServerAliveInterval=15', '-o', 'LogLevel=ERROR'],
    `${target.user}@${target.address}`,
    '--',
    ...command
  ]
}

/**
 * The script the node's root runs: the TLS files written 0600 in a 0700 dir, a bounded wait for the
 * user data's mark, the engine restarted. The key is in the script's text, which only standard input carries.
 */
export function provisionScript(files: { ca: string; server: KeyPair }, waitSeconds: number): string {
  const file = (name: string, content: string) => `cat >/etc/docker/tls/${name} <<'PEM'\n${content.trim()}\nPEM\n`
  return [
    'set -euo pipefail',
    'umask 077',
    'install -d -m 0700 /etc/docker/tls',
    file('ca.pem', files.ca),
    file('server-cert.pem', files.server.cert),
    file('server-key.pem', files.server.key),
    'marks=/var/lib/setup-swarm',
    `for _ in $(seq ${Math.max(1, Math.floor(waitSeconds))}); do`,
    '  [ -e "$marks/docker-installed" ] || [ -e "$marks/failed" ] && break',
    '  sleep 1',
    'done',
    'if [ ! -e "$marks/docker-installed" ]; then',
    '  echo "the user data did not install Docker$([ -e "$marks/failed" ] && echo ": it failed" || echo " in time"); the end of /var/log/cloud-init-output.log:" >&2',
    '  tail -n 20 /var/log/cloud-init-output.log >&2 || true',
    '  exit 3',
    'fi',
    'systemctl enable docker >/dev/null 2>&1 || true',
    // Restarts tried before the files were here (an apt upgrade) may have hit systemd's start limit.
    'systemctl reset-failed docker.service >/dev/null 2>&1 || true',
    'systemctl restart docker',
    ''
  ].join('\n')
}

/**
 * Runs the provisioning script on the node as root (`sudo`), connecting again while sshd is not up
 * yet, until `deadline`. Throws with what the node said.
 */
export async function provisionOverSsh(target: SshTarget, script: string, deadline: Deadline, node: string): Promise<void> {
  let last: RunResult | undefined
  while (!deadline.expired()) {
    last = await run('ssh', sshArgs(target, ['sudo', '-n', 'bash', '-s']), {
      input: script,
      timeoutMs: Math.max(1000, deadline.remainingMs()),
      allowFailure: true
    })
    if (last.code === 0) return
    if (last.code !== SSH_FAILED || HOST_KEY_REFUSED.test(last.stderr)) break
    await sleep(Math.min(RETRY_MS, deadline.remainingMs()))
  }
  const said = (last?.stderr.trim() || last?.stdout.trim() || 'no answer').split('\n').slice(-8).join('\n')
  const hint = HOST_KEY_REFUSED.test(last?.stderr ?? '')
    ? `the host at ${target.address} showed another SSH host key than the instance's console: the connection was refused, as it is not the instance`
    : last?.code === SSH_FAILED
      ? `SSH to ${target.user}@${target.address} failed until the deadline: check that \`allowed-cidrs\` lets the runner reach port 22, and --ssh-user for a non-Ubuntu AMI`
      : `its user data or the engine's restart failed: its output is on the instance's console (\`aws ec2 get-console-output --latest --instance-id ${target.instanceId}\`) and in /var/log/cloud-init-output.log`
  throw new Error(`${node}: provisioning over SSH failed (${said}); ${hint}`)
}
