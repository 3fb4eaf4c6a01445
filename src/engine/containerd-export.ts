import { findExecutable, privilegedArgv, run } from '../tools/command.js'
import { fullReference } from './reference.js'

// The runner's images read out of its containerd image store by containerd itself. `docker save`
// from that store costs the engine and its containerd about twice the CPU and time of containerd's
// own export, which streams the stored blobs as they are (100 MB here: 3.1 s of CPU and 2.4 s,
// against 1.5 s and 0.95 s). It takes `ctr`, root (sudo) and containerd's socket on this machine,
// whose address the engine reports. Every image must be listed there under its reference's full
// name with the digest the engine reports as its ID: that also proves the engine's containerd is
// this machine's, not that of an engine DOCKER_HOST reaches elsewhere.

/** Where and how one image is exported by containerd. */
export interface ContainerdSource {
  ctr: string
  address: string
  namespace: string
  /** The image's full name in containerd (`docker.io/library/app:latest`). */
  name: string
}

export interface EngineContainerd {
  address: string
  namespace: string
}

const LIST_TIMEOUT_MS = 10_000

/**
 * Each image's containerd source, or why containerd cannot export them (then `docker save`
 * serves): `id` is the engine's image ID, in the containerd store the digest of the image's
 * manifest or index.
 */
export async function containerdSources(
  images: { reference: string; id: string }[],
  containerd: EngineContainerd
): Promise<ContainerdSource[] | string> {
  const names = images.map((image) => containerdName(image.reference))
  const unnamed = images.filter((_, i) => !names[i]).map((image) => image.reference)
  if (unnamed.length) return `${unnamed.join(', ')} not given as name:tag`
  const ctr = findExecutable('ctr')
  if (!ctr) return "containerd's `ctr` is not on PATH"
  const [file, args] = privilegedArgv(ctr, ['--address', containerd.address, '--namespace', containerd.namespace, 'images', 'list'])
  const listed = await run(file, args, { allowFailure: true, timeoutMs: LIST_TIMEOUT_MS }).catch((error: Error) => ({
    code: 1,
    stdout: '',
    stderr: error.message
  }))
  if (listed.code !== 0) return `\`ctr images list\` failed: ${listed.stderr.trim().split('\n').pop()}`
  const digests = listedDigests(listed.stdout)
  const differing = images.filter((image, i) => digests.get(names[i]!) !== image.id).map((image) => image.reference)
  if (differing.length) return `containerd at ${containerd.address} does not hold ${differing.join(', ')} as the engine does`
  return names.map((name) => ({ ctr, ...containerd, name: name! }))
}

/** The command that writes the images (one containerd's) for `platform` only, an OCI archive with Docker's manifest.json, to stdout. */
export function containerdExportArgv(sources: ContainerdSource[], platform: string): [string, string[]] {
  const [{ ctr, address, namespace }] = sources
  return privilegedArgv(ctr, [
    ...['--address', address, '--namespace', namespace],
    ...['images', 'export', '--platform', platform, '-', ...sources.map((source) => source.name)]
  ])
}

/** The name containerd keeps the image under; undefined for an image ID (short ones too) or a reference by digest. */
export function containerdName(reference: string): string | undefined {
  const full = fullReference(reference)
  return full.startsWith('sha256:') || full.includes('@') || /^[0-9a-f]{12,64}$/.test(reference) ? undefined : full
}

/** `ctr images list`: REF TYPE DIGEST SIZE PLATFORMS LABELS, a line each. */
function listedDigests(stdout: string): Map<string, string> {
  const rows = stdout.split('\n').slice(1)
  return new Map(
    rows
      .map((row) => row.trim().split(/\s+/))
      .filter((fields) => fields.length >= 3)
      .map((fields) => [fields[0], fields[2]])
  )
}
