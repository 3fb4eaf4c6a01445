import { describe, expect, it } from '@jest/globals'
import { CommandError, run } from '../../src/tools/command.js'

describe('run', () => {
  it('returns what a command printed', async () => {
    expect(await run('sh', ['-c', 'echo out; echo err >&2'])).toEqual({ code: 0, stdout: 'out\n', stderr: 'err\n' })
  })

  it('feeds input on stdin', async () => {
    expect((await run('cat', [], { input: 'line\n' })).stdout).toBe('line\n')
  })

  it('throws a failure with the command and the end of its stderr, or returns it when allowed', async () => {
    const failing = run('sh', ['-c', 'echo "no such device" >&2; exit 3'])
    await expect(failing).rejects.toThrow(CommandError)
    await expect(failing).rejects.toThrow('sh -c failed (exit 3): no such device')
    expect((await run('sh', ['-c', 'exit 3'], { allowFailure: true })).code).toBe(3)
  })

  it('keeps a multi-byte character whole when the output splits it across two chunks', async () => {
    // "é" is two bytes; the first one ends the first chunk.
    const script = 'process.stdout.write(Buffer.from([0x61, 0xc3])); setTimeout(() => process.stdout.write(Buffer.from([0xa9, 0x62])), 100)'
    expect((await run(process.execPath, ['-e', script])).stdout).toBe('aéb')
  })

  it('kills a command at its bound and says so', async () => {
    const started = Date.now()
    await expect(run('sleep', ['30'], { timeoutMs: 300 })).rejects.toThrow('sleep 30 did not finish within 0.3 s and was killed')
    expect(Date.now() - started).toBeLessThan(5000)
  })

  it('fails at once, not at its bound, when the command does not exist', async () => {
    const started = Date.now()
    await expect(run('setup-swarm-no-such-command', [], { timeoutMs: 30_000 })).rejects.toThrow(
      // EACCES where a directory on PATH is closed to this user.
      /^cannot run setup-swarm-no-such-command: spawn setup-swarm-no-such-command (ENOENT|EACCES)$/
    )
    expect(Date.now() - started).toBeLessThan(5000)
  })
})
