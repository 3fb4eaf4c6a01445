import * as core from '@actions/core'
import path from 'node:path'
import { Engine } from '../../engine/api.js'
import type { RunnerImage } from '../../engine/image-identity.js'
import type { EngineNode } from '../../engine/node.js'
import { readClientTls, type ClientCertDir } from '../../engine/tls.js'
import type { Deadline } from '../../tools/wait.js'
import { type ImageSave, loadImages } from '../../workload/images.js'
import { privileged } from './host-tools.js'

// Every local node keeps its data on this runner's disk. So the images are loaded over the API into
// the first node only, and every other node starts with a copy of that engine's image store whose
// layer files are hard links: no other node unpacks a byte, and 7 nodes take as long as 1. Layer
// files are never written once committed (a container writes to a layer of its own), so sharing
// their inodes between engines is safe; the metadata is copied, as engines rewrite it.

/** Loads the images into `first`; returns the data root whose image store the other nodes copy. */
export async function loadIntoFirstNode(
  first: EngineNode,
  dataRoot: string,
  images: RunnerImage[],
  client: ClientCertDir,
  deadline: Deadline,
  early?: ImageSave
): Promise<ImageStore> {
  await loadImages([first], images, client, deadline, early)
  const engine = new Engine(first.dockerHost, await readClientTls(client))
  try {
    return { dataRoot, storageDriver: (await engine.info()).Driver }
  } finally {
    engine.close()
  }
}

export interface ImageStore {
  dataRoot: string
  /** The engine's storage driver: its layers live in `<data root>/<driver>`, their metadata in `<data root>/image/<driver>`. */
  storageDriver: string
}

/** Gives a node's (not yet started) engine the image store; false when it could not, and the node loads over the API. */
export async function copyImageStore(store: ImageStore, toDataRoot: string): Promise<boolean> {
  try {
    await privileged('mkdir', ['-p', '-m', '0710', toDataRoot])
    await privileged('cp', ['-a', '--link', path.join(store.dataRoot, store.storageDriver), `${toDataRoot}/`])
    await privileged('cp', ['-a', path.join(store.dataRoot, 'image'), `${toDataRoot}/`])
    return true
  } catch (error) {
    core.warning(
      `could not share the first node's images with ${path.basename(path.dirname(toDataRoot))} (${(error as Error).message}); it loads them itself`
    )
    return false
  }
}
