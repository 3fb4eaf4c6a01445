import { afterEach, beforeEach, describe, expect, it } from '@jest/globals'
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import type { Readable } from 'node:stream'
import { SpooledSave } from '../../src/workload/image-save.js'

// A save spooled to a file: every node's load reads all of it, whenever it starts reading.

const image = { reference: 'app:1', id: 'sha256:1', identity: 'x' }
let dir: string
let savedPath: string | undefined

/** A docker CLI whose `save` prints 3 parts of 100 kB, 0.1 s apart, then exits with `code`. */
function fakeDocker(code = 0) {
  writeFileSync(
    path.join(dir, 'docker'),
    `#!/bin/sh\nfor part in a b c; do head -c 100000 /dev/zero | tr '\\0' "$part"; sleep 0.1; done\n[ ${code} = 0 ] || echo "no such image" >&2\nexit ${code}\n`,
    { mode: 0o755 }
  )
}

const readAll = async (stream: Readable) => {
  const chunks: Buffer[] = []
  for await (const chunk of stream) chunks.push(chunk as Buffer)
  return Buffer.concat(chunks).toString()
}

beforeEach(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'image-save-'))
  savedPath = process.env.PATH
  process.env.PATH = `${dir}:${process.env.PATH}`
})

afterEach(() => {
  process.env.PATH = savedPath
  rmSync(dir, { recursive: true, force: true })
})

describe('SpooledSave', () => {
  it('gives each reader the whole save, whether it starts before, during or after the save', async () => {
    fakeDocker()
    const save = await SpooledSave.start([image], dir)
    const expected = 'a'.repeat(100000) + 'b'.repeat(100000) + 'c'.repeat(100000)
    const early = readAll(save.open())
    await new Promise((resolve) => setTimeout(resolve, 150))
    const during = readAll(save.open())
    expect(await save.exited).toBe(0)
    const after = readAll(save.open())
    expect(await Promise.all([early, during, after])).toEqual([expected, expected, expected])
    expect(save.bytes()).toBe(300000)
    await save.close()
    expect(existsSync(path.dirname(save.file))).toBe(false)
  })

  it('tells a failed save by its exit code and error output', async () => {
    fakeDocker(1)
    const save = await SpooledSave.start([image], dir)
    const reading = readAll(save.open())
    expect(await save.exited).toBe(1)
    expect(save.stderr()).toContain('no such image')
    expect((await reading).length).toBe(300000)
    await save.close()
  })

  it('ends the save when closed early, and a reader dropped meanwhile holds up nothing', async () => {
    fakeDocker()
    const save = await SpooledSave.start([image], dir)
    save.drop(save.open())
    await save.close()
    expect(await save.exited).not.toBe(0)
    expect(existsSync(save.file)).toBe(false)
  })
})
