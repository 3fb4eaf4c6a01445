import { open } from 'node:fs/promises'

/** The last `maxBytes` of a file (a log's end is what tells), whatever its size. */
export async function readTail(file: string, maxBytes: number): Promise<string> {
  const handle = await open(file, 'r')
  try {
    const { size } = await handle.stat()
    const length = Math.min(size, maxBytes)
    const buffer = Buffer.alloc(length)
    await handle.read(buffer, 0, length, size - length)
    return `${size > length ? `[first ${size - length} bytes cut]\n` : ''}${buffer.toString('utf8')}`
  } finally {
    await handle.close()
  }
}
