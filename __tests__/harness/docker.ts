import { execFile } from 'node:child_process'
import { promisify } from 'node:util'
import { IMAGE_TAR } from './global-setup.js'

const execFileAsync = promisify(execFile)

export const TEST_IMAGE = 'setup-swarm-test/busybox:1'

/** The docker CLI with a step's exported environment (DOCKER_HOST, DOCKER_TLS_VERIFY, DOCKER_CERT_PATH). */
export async function docker(env: Record<string, string>, args: string[], timeoutMs = 60_000): Promise<string> {
  const { stdout } = await execFileAsync('docker', args, { env: { ...process.env, ...env }, timeout: timeoutMs, maxBuffer: 16 << 20 })
  return stdout.trim()
}

/** No registry here: every node gets the test image from a local rootfs. */
export async function importTestImage(env: Record<string, string>, dockerHosts: string[]): Promise<void> {
  await Promise.all(dockerHosts.map((host) => docker({ ...env, DOCKER_HOST: host }, ['import', IMAGE_TAR, TEST_IMAGE])))
}

export async function waitFor<T>(what: string, check: () => Promise<T | undefined>, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs
  let last: unknown
  while (Date.now() < deadline) {
    try {
      const value = await check()
      if (value !== undefined) return value
    } catch (error) {
      last = error
    }
    await new Promise((resolve) => setTimeout(resolve, 250))
  }
  throw new Error(`timed out waiting for ${what}${last ? `: ${(last as Error).message}` : ''}`)
}

export interface ServiceTask {
  nodeId: string
  container: string
  /** The task's address on the overlay network it was asked for. */
  ip: string
}

/** A service's running tasks, once `count` of them run, each with its node, container and address on `network`. */
export async function runningTasks(env: Record<string, string>, service: string, network: string, count: number): Promise<ServiceTask[]> {
  const tasks = await waitFor(`${count} running tasks of ${service}`, async () => {
    const ids = (await docker(env, ['service', 'ps', service, '--filter', 'desired-state=running', '--format', '{{.ID}} {{.CurrentState}}']))
      .split('\n')
      .filter((line) => line.includes('Running'))
      .map((line) => line.split(' ')[0])
    return ids.length === count ? ids : undefined
  })
  return Promise.all(
    tasks.map(async (task) => {
      const info = JSON.parse(await docker(env, ['inspect', task, '--format', '{{json .}}'])) as {
        NodeID: string
        Status: { ContainerStatus: { ContainerID: string } }
        NetworksAttachments: Array<{ Network: { Spec: { Name: string } }; Addresses: string[] }>
      }
      const attachment = info.NetworksAttachments.find((a) => a.Network.Spec.Name === network)!
      return { nodeId: info.NodeID, container: info.Status.ContainerStatus.ContainerID, ip: attachment.Addresses[0].split('/')[0] }
    })
  )
}

/** What the web server of task `to` answers task `from` over their overlay network, asked on `from`'s own node. */
export async function askOverOverlay(
  env: Record<string, string>,
  nodes: Array<{ id: string; dockerHost: string }>,
  from: ServiceTask,
  to: ServiceTask
): Promise<string> {
  const host = nodes.find((node) => node.id === from.nodeId)!.dockerHost
  // busybox-static's wget crashes (static glibc): plain HTTP over nc instead.
  const request = `printf 'GET / HTTP/1.0\\r\\n\\r\\n' | nc -w 5 ${to.ip} 80`
  return docker({ ...env, DOCKER_HOST: host }, ['exec', from.container, 'sh', '-c', request])
}
