import * as core from '@actions/core'
import { PassThrough } from 'node:stream'
import { Engine } from '../engine/api.js'
import { runnerDocker, runnerExporter, runnerSave } from '../engine/docker-cli.js'
import { containerdSources } from '../engine/containerd-export.js'
import { imageIdentity, type ImageInspect, type RunnerImage } from '../engine/image-identity.js'
import type { EngineNode } from '../engine/node.js'
import { readClientTls, type ClientCertDir } from '../engine/tls.js'
import type { Deadline } from '../tools/wait.js'

// The job's images, built on the runner's own engine, into every node: there is no registry between
// them. One `docker save` is read once and streamed to every node that lacks an image at once, over
// the nodes' TLS API (so it works the same for every driver).

export interface LoadReport {
  loaded: string[]
  skipped: string[]
  bytes: number
  seconds: number
  /** Reference → the image ID every node holds it under, where the nodes agree (a stack runs it by that ID). */
  nodeIds: Record<string, string>
}

/** A stalled load (no byte either way for this long) is an error; a slow one is not. */
const LOAD_IDLE_MS = 60_000
const INSPECT_TIMEOUT_MS = 30_000
const CONTAINERD_STORE = 'io.containerd.snapshotter.v1'

/** Every image on the runner's engine; fails naming each missing one, before anything is created. */
export async function findRunnerImages(references: string[]): Promise<RunnerImage[]> {
  const docker = runnerDocker()
  const inspect = (args: string[]) => docker(args, { allowFailure: true, timeoutMs: INSPECT_TIMEOUT_MS })
  const [found, info, platform] = await Promise.all([
    Promise.all(
      references.map(async (reference) => {
        const result = await inspect(['image', 'inspect', '--format', '{{json .}}', reference])
        return { reference, inspected: result.code === 0 ? (JSON.parse(result.stdout) as ImageInspect) : undefined, error: result.stderr.trim() }
      })
    ),
    inspect(['info', '--format', '{{json .}}']),
    // The runner engine's own platform (`linux/amd64`): the one its images run on, and the nodes'.
    inspect(['version', '--format', '{{.Server.Os}}/{{.Server.Arch}}'])
  ])
  const unreachable = found.find(
    (image) =>
      !image.inspected && /cannot connect to the docker daemon|error during connect|permission denied while trying to connect/i.test(image.error)
  )
  if (unreachable) {
    throw new Error(
      `input \`images\`: the runner's Docker engine does not answer (${unreachable.error.split('\n').pop()}); the images are read from the engine the docker CLI reaches in this step (DOCKER_HOST or /var/run/docker.sock)`
    )
  }
  const missing = found.filter((image) => !image.inspected)
  if (missing.length) {
    throw new Error(
      `input \`images\`: ${missing.map((image) => `"${image.reference}"`).join(', ')} ${missing.length === 1 ? 'is' : 'are'} not on the runner's Docker engine; build or pull ${missing.length === 1 ? 'it' : 'them'} in an earlier step of the job`
    )
  }
  const images = found.map(({ reference, inspected }) => ({ reference, id: inspected!.Id, identity: imageIdentity(inspected!) }))
  const engine = info.code === 0 ? (JSON.parse(info.stdout) as RunnerEngineInfo) : {}
  if (!engine.DriverStatus?.some(([, value]) => value === CONTAINERD_STORE)) return images
  if (platform.code !== 0)
    throw new Error(
      `the runner's Docker engine did not tell its platform (docker version): ${platform.stderr.trim()}; check that the docker CLI reaches it in this step`
    )
  const savePlatform = platform.stdout.trim()
  const containerd = engine.Containerd?.Address
    ? await containerdSources(images, { address: engine.Containerd.Address, namespace: engine.Containerd.Namespaces?.Containers ?? 'moby' })
    : 'the engine does not say where its containerd listens'
  if (typeof containerd === 'string') core.info(`exporting the images with \`docker save\`, not containerd's own export: ${containerd}`)
  return images.map((image, i) => ({ ...image, savePlatform, containerd: typeof containerd === 'string' ? undefined : containerd[i] }))
}

/** The fields of GET /info read here; `Containerd` since Docker 27 (API 1.46). */
interface RunnerEngineInfo {
  DriverStatus?: [string, string][]
  Containerd?: { Address?: string; Namespaces?: { Containers?: string } }
}

export type ImageSave = ReturnType<typeof runnerSave>

/**
 * Starts `docker save` of every image now: the runner's engine stages the whole export before it
 * writes a byte, which can overlap the start of the engines that will read it (the pipe holds the
 * rest back). `loadImages` takes it over, or ends it when no node needs all of them.
 */
export function startSave(images: RunnerImage[]): ImageSave {
  const save = runnerSave(images)
  save.on('error', () => undefined) // reported where the stream is read
  return save
}

/**
 * Loads the images into every node that does not hold the same image ID yet, all nodes at once.
 * `early`: a save of every image, started beforehand (see startSave).
 */
export async function loadImages(
  nodes: EngineNode[],
  images: RunnerImage[],
  client: ClientCertDir,
  deadline: Deadline,
  early?: ImageSave
): Promise<LoadReport> {
  const started = Date.now()
  const tls = await readClientTls(client)
  const engines = nodes.map((node) => new Engine(node.dockerHost, tls))
  let save: ImageSave | undefined
  try {
    const holdings = await Promise.all(engines.map((engine) => imagesHeld(engine, images)))
    const lacking = holdings.map((held) => images.filter((_, i) => !held[i]))
    const targets = nodes.map((node, i) => ({ node, engine: engines[i], lacking: lacking[i] })).filter((target) => target.lacking.length)
    const skipped = nodes.filter((_, i) => lacking[i].length === 0).map((node) => node.name)
    if (skipped.length) core.info(`already holding every image (same image), skipped: ${skipped.join(', ')}`)
    // One save of every image some node lacks: a node lacking only some of them loads the rest again,
    // which costs it little, while the runner's engine is read once.
    const needed = images.filter((image) => targets.some((target) => target.lacking.includes(image)))
    if (targets.length === 0) return { loaded: [], skipped, bytes: 0, seconds: (Date.now() - started) / 1000, nodeIds: agreedIds(images, holdings) }

    core.info(`loading ${needed.map((image) => image.reference).join(', ')} into ${targets.map((target) => target.node.name).join(', ')}`)
    const platform = needed[0].savePlatform
    if (platform)
      core.info(
        `the runner's engine keeps images in the containerd store: exported with ${runnerExporter(needed)} for ${platform} only, the platform of its nodes`
      )
    save = early && needed.length === images.length ? early : runnerSave(needed)
    let bytes: number
    try {
      bytes = await streamToAll(
        save,
        needed,
        targets.map((target) => target.engine),
        deadline
      )
    } catch (error) {
      // A node whose load broke off while the export went well gets one more export of its own,
      // by `docker save`: twice in some 60 loads from containerd's export, the nodes' engines
      // answered "unexpected EOF" (cause not found yet), never from `docker save`.
      if (!(error instanceof LoadsFailed)) throw error
      core.warning(`${error.message}; loading into those node(s) again, once, with docker save`)
      save.kill('SIGKILL')
      const bySave = needed.map((image) => ({ ...image, containerd: undefined }))
      save = runnerSave(bySave)
      bytes = await streamToAll(save, bySave, error.engines, deadline)
    }
    // A tag that moved on the runner meanwhile, or a load that kept an older image: the identities tell.
    const after = await Promise.all(engines.map((engine, i) => (lacking[i].length ? imagesHeld(engine, images) : Promise.resolve(holdings[i]))))
    const wrong = nodes
      .filter((_, i) => after[i].some((id) => !id))
      .map((node) => node.name)
      .join(', ')
    if (wrong) throw new Error(`after loading, ${wrong} still lack an image the same as the runner's; did an image change on the runner meanwhile?`)
    const seconds = (Date.now() - started) / 1000
    core.info(
      `loaded ${needed.length} image(s), ${(bytes / 1e6).toFixed(1)} MB read once from the runner's engine, into ${targets.length} node(s) in ${seconds.toFixed(2)} s`
    )
    return { loaded: targets.map((target) => target.node.name), skipped, bytes, seconds, nodeIds: agreedIds(images, after) }
  } finally {
    for (const engine of engines) engine.close()
    // An early save nobody read, or a save cut short by an error: nothing of it outlives the load.
    for (const saving of [early, save]) if (saving && saving.exitCode === null) saving.kill('SIGKILL')
  }
}

/** For each image, the node's own ID of it where the node holds the same image, else undefined. */
async function imagesHeld(engine: Engine, images: RunnerImage[]): Promise<(string | undefined)[]> {
  const inspected = await Promise.all(images.map((image) => engine.imageInspect(image.reference)))
  return images.map((image, i) => (inspected[i] && imageIdentity(inspected[i]) === image.identity ? inspected[i].Id : undefined))
}

/** Reference → the ID that every node holds the image under; nodes of different stores disagree. */
function agreedIds(images: RunnerImage[], holdings: (string | undefined)[][]): Record<string, string> {
  return Object.fromEntries(
    images.flatMap((image, i) => {
      const ids = new Set(holdings.map((held) => held[i]))
      const [id] = ids
      return ids.size === 1 && id ? [[image.reference, id]] : []
    })
  )
}

/** Loads that broke off (the export itself went well): `engines` are the nodes that did not load. */
class LoadsFailed extends Error {
  constructor(
    message: string,
    readonly engines: Engine[]
  ) {
    super(message)
  }
}

/** The runner's export read once, its stream copied to every engine's load; returns the bytes read. */
async function streamToAll(save: ImageSave, images: RunnerImage[], engines: Engine[], deadline: Deadline): Promise<number> {
  let bytes = 0
  let stderr = ''
  let timedOut = false
  save.stdout.on('data', (chunk: Buffer) => (bytes += chunk.length))
  save.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk))
  const exited = new Promise<number | null>((resolve) => {
    if (save.exitCode !== null) return resolve(save.exitCode)
    save.on('error', (error) => ((stderr += error.message), resolve(null)))
    save.on('close', (code) => resolve(code))
  })
  // Past the deadline the save is killed: every load then ends with a cut stream.
  const timer = setTimeout(() => ((timedOut = true), save.kill('SIGKILL')), Math.max(1000, deadline.remainingMs()))
  try {
    let reading = engines.length
    const loads = engines.map((engine) => {
      // Each node its own copy of the stream; the slowest sets the pace (pipe's backpressure).
      const copy = new PassThrough({ highWaterMark: 1 << 20 })
      save.stdout.pipe(copy)
      return engine.loadImages(copy, LOAD_IDLE_MS).catch((error: Error) => {
        // A node that failed no longer reads: unhook it, or its full buffer would stall the others.
        save.stdout.unpipe(copy)
        copy.resume()
        // With no node left reading, drain the save so that it ends instead of blocking.
        if (--reading === 0) save.stdout.resume()
        throw error
      })
    })
    const [code, results] = await Promise.all([exited, Promise.allSettled(loads)])
    if (timedOut) throw new Error(`loading the images did not finish within the \`timeout\` (${deadline.what})`)
    if (code !== 0)
      throw new Error(
        `${runnerExporter(images)} ${images.map((image) => image.reference).join(' ')} on the runner failed (exit ${code}): ${stderr.trim()}`
      )
    const failed = engines.filter((_, i) => results[i].status === 'rejected')
    const reasons = results.flatMap((result) => (result.status === 'rejected' ? [(result.reason as Error).message] : []))
    // The export's size tells a stream cut short from content a node rejects.
    if (failed.length)
      throw new LoadsFailed(`loading the images failed (the export ended well after ${(bytes / 1e6).toFixed(1)} MB): ${reasons.join('; ')}`, failed)
    return bytes
  } finally {
    clearTimeout(timer)
  }
}
