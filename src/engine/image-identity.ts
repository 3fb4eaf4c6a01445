import { createHash } from 'node:crypto'
import type { ContainerdSource } from './containerd-export.js'

// An image's ID depends on the store that holds it: the digest of its config in the graph driver's
// store, of its manifest or index in the containerd store (Docker 29's default). The same image
// saved from one store and loaded into the other changes ID, and neither API shows the config's
// digest in the containerd store. What every store reports alike is what the config says: the
// layers (by their uncompressed digests), the run configuration, the platform and the creation
// time. Their digest identifies the image across stores.

/** The fields of `docker image inspect` (GET /images/{name}/json) the identity is made of. */
export interface ImageInspect {
  Id: string
  Created?: string
  Os?: string
  Architecture?: string
  Variant?: string
  RootFS?: { Layers?: string[] }
  Config?: Record<string, unknown> | null
}

/** The image's identity: equal for one image in any store, different when anything it runs differs. */
export function imageIdentity(image: ImageInspect): string {
  const described = {
    created: image.Created ?? '',
    platform: [image.Os, image.Architecture, image.Variant].filter(Boolean).join('/'),
    layers: image.RootFS?.Layers ?? [],
    config: withoutEmpty(image.Config ?? {})
  }
  return `identity:${createHash('sha256').update(canonicalJson(described)).digest('hex')}`
}

/** One of the job's images (the `images` input) on the runner's engine, as main loads it into every node. */
export interface RunnerImage {
  /** As the user wrote it in `images`. */
  reference: string
  /** The image ID on the runner's engine (its store's own kind of ID). */
  id: string
  /** What the image is in any store (imageIdentity): a node holding the same identity has this image. */
  identity: string
  /**
   * The platform to save it for, where the runner keeps images in the containerd store: there a
   * pulled multi-platform image is an index whose other platforms' content is absent, and a save
   * of every platform fails.
   */
  savePlatform?: string
  /** Where containerd itself can export it (containerd store): cheaper than `docker save`. */
  containerd?: ContainerdSource
}

/**
 * The config without what stores report differently for the same image: empty values (older
 * engines list every field, newer ones leave empty ones out) and `Image`, where the classic builder
 * kept its parent's ID, which the containerd store does not report.
 */
function withoutEmpty(config: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(config).filter(([key, value]) => key !== 'Image' && !isEmpty(value)))
}

function isEmpty(value: unknown): boolean {
  if (value === null || value === undefined || value === '' || value === false) return true
  if (Array.isArray(value)) return value.length === 0
  return typeof value === 'object' && Object.keys(value).length === 0
}

/** JSON with object keys sorted at every level: one text for one value. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`
  if (value && typeof value === 'object') {
    const entries = Object.entries(value).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${canonicalJson(item)}`).join(',')}}`
  }
  return JSON.stringify(value)
}
