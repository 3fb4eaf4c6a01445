import { closeSync, createWriteStream, openSync, read } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { PassThrough, Readable } from 'node:stream'
import { runnerSave } from '../engine/docker-cli.js'
import type { RunnerImage } from '../engine/image-identity.js'

// A \`docker save\` of the runner's images, as the nodes' loads read it (images.ts).

type SaveProcess = ReturnType<typeof runnerSave>

/** Where a save is read from: a stream for each node's load, and how the save ended. */
export interface SaveSource {
  /** A stream of the whole save, for one node; every node's is opened before any is read. */
  open(): Readable
  /** A node that failed stops reading its stream: it must hold up no other. */
  drop(stream: Readable): void
  /** The save's exit code (null: killed, or it could not run) once it ended. */
  exited: Promise<number | null>
  stderr(): string
  bytes(): number
  kill(): void
}

/**
 * A \`docker save\` of every image, started before the nodes can take it and written to a file as
 * fast as the runner's engine exports: no pipe holds it back while the engines start. (A
 * containerd-store runner streams the layers as they are stored, compressed, at about 30 MB/s
 * here, so the export takes the longest of all and should start first.) Each node's load reads
 * the file from its start, as far as it is written, at its own pace, whenever the node answers.
 * Its owner closes it once every load is done: that ends the save and deletes the file.
 */
export class SpooledSave implements SaveSource {
  private written = 0
  private ended = false
  private errorText = ''
  private wake = new Set<() => void>()
  readonly exited: Promise<number | null>

  private constructor(
    private readonly save: SaveProcess,
    private readonly dir: string,
    readonly file: string
  ) {
    save.stderr.setEncoding('utf8').on('data', (chunk: string) => (this.errorText += chunk))
    const out = createWriteStream(file, { mode: 0o600 })
    let failed: (error: Error) => void = () => undefined
    const written = new Promise<void>((resolve, reject) => ((failed = reject), out.on('finish', resolve)))
    out.on('error', (error) => (save.kill('SIGKILL'), failed(error)))
    save.stdout.on('data', (chunk: Buffer) => {
      if (!out.write(chunk, () => ((this.written += chunk.length), this.notify()))) {
        save.stdout.pause()
        out.once('drain', () => save.stdout.resume())
      }
    })
    save.stdout.on('end', () => out.end())
    const code = new Promise<number | null>((resolve) => {
      save.on('error', (error) => ((this.errorText += error.message), resolve(null)))
      save.on('close', (exitCode) => resolve(exitCode))
    })
    this.exited = Promise.all([
      code,
      written.then(
        () => null,
        (error: Error) => ((this.errorText += `writing ${file}: ${error.message}`), 1)
      )
    ]).then(([exitCode, writeFailed]) => {
      this.ended = true
      this.notify()
      return writeFailed ?? exitCode
    })
  }

  /** Starts the save of every image into a private file under \`parent\` (RUNNER_TEMP by default). */
  static async start(images: RunnerImage[], parent = process.env.RUNNER_TEMP || os.tmpdir()): Promise<SpooledSave> {
    const dir = await mkdtemp(path.join(parent, 'setup-swarm-save-'))
    const save = runnerSave(images)
    save.on('error', () => undefined) // told by \`exited\`
    return new SpooledSave(save, dir, path.join(dir, 'images.tar'))
  }

  open(): Readable {
    const reader = { fd: undefined as number | undefined, position: 0 }
    const stream: Readable = new Readable({
      highWaterMark: 1 << 20,
      read: (size) => this.follow(stream, reader, size),
      destroy: (error, callback) => {
        if (reader.fd !== undefined) closeSync(reader.fd)
        callback(error)
      }
    })
    return stream
  }

  /** The next part of the file for \`stream\`, as far as it is written; the end once the save ended. */
  private follow(stream: Readable, reader: { fd?: number; position: number }, size: number): void {
    if (stream.destroyed) return
    if (reader.position < this.written) {
      reader.fd ??= openSync(this.file, 'r')
      const buffer = Buffer.allocUnsafe(Math.min(size, this.written - reader.position))
      read(reader.fd, buffer, 0, buffer.length, reader.position, (error, count) => {
        if (stream.destroyed) return
        if (error) return void stream.destroy(error)
        reader.position += count
        stream.push(buffer.subarray(0, count))
      })
    } else if (this.ended) stream.push(null)
    else this.wake.add(() => this.follow(stream, reader, size))
  }

  drop(stream: Readable): void {
    stream.destroy()
  }

  stderr(): string {
    return this.errorText
  }

  bytes(): number {
    return this.written
  }

  kill(): void {
    if (this.save.exitCode === null) this.save.kill('SIGKILL')
  }

  /** Ends the save if it still runs and deletes its file. */
  async close(): Promise<void> {
    this.kill()
    await rm(this.dir, { recursive: true, force: true })
  }

  private notify(): void {
    const waiting = [...this.wake]
    this.wake.clear()
    for (const wake of waiting) wake()
  }
}

/** A save read as it comes, its stream copied to every node's load: the slowest node sets the pace. */
export function pipedSave(save: SaveProcess): SaveSource {
  let stderr = ''
  let bytes = 0
  let reading = 0
  save.on('error', () => undefined)
  save.stdout.on('data', (chunk: Buffer) => (bytes += chunk.length))
  save.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk))
  const exited = new Promise<number | null>((resolve) => {
    if (save.exitCode !== null) return resolve(save.exitCode)
    save.on('error', (error) => ((stderr += error.message), resolve(null)))
    save.on('close', (code) => resolve(code))
  })
  return {
    open() {
      const copy = new PassThrough({ highWaterMark: 1 << 20 })
      save.stdout.pipe(copy)
      reading++
      return copy
    },
    drop(copy) {
      // A node that failed no longer reads: unhook it, or its full buffer would stall the others.
      save.stdout.unpipe(copy as PassThrough)
      copy.resume()
      // With no node left reading, drain the save so that it ends instead of blocking.
      if (--reading === 0) save.stdout.resume()
    },
    exited,
    stderr: () => stderr,
    bytes: () => bytes,
    kill: () => {
      if (save.exitCode === null) save.kill('SIGKILL')
    }
  }
}
