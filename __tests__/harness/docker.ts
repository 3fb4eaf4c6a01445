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
