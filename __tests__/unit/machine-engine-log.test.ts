import { describe, expect, it, jest } from '@jest/globals'
import { machineEngineLog } from '../../src/drivers/machine/engine-log.js'
import type { MachineCommand } from '../../src/drivers/machine/cli.js'

describe("a docker-machine node's engine log", () => {
  it('is read over docker-machine ssh, from the journal or /var/log/docker.log, its end only, within the time given', async () => {
    const machine = jest.fn<MachineCommand>().mockResolvedValue({ code: 0, stdout: 'level=info msg="API listen on [::]:2376"\n', stderr: '' })
    expect(await machineEngineLog(machine, 'ci-worker-1', { maxBytes: 4096, timeoutMs: 7000 })).toContain('API listen on')
    const [args, timeoutMs] = machine.mock.calls[0]
    expect(args.slice(0, 2)).toEqual(['ssh', 'ci-worker-1'])
    expect(args).toHaveLength(3)
    expect(args[2]).toContain('journalctl -u docker --no-pager')
    expect(args[2]).toContain('tail -c 4096 /var/log/docker.log')
    expect(args[2].match(/tail -c (\d+)/g)?.every((part) => part === 'tail -c 4096')).toBe(true)
    expect(timeoutMs).toBe(7000)
  })

  it('fails naming the machine and what ssh said', async () => {
    const machine = jest.fn<MachineCommand>().mockResolvedValue({ code: 1, stdout: '', stderr: 'exit status 255: connection refused' })
    await expect(machineEngineLog(machine, 'ci-worker-1', { maxBytes: 10, timeoutMs: 10 })).rejects.toThrow(
      'docker-machine ssh ci-worker-1 could not read the engine log: exit status 255: connection refused'
    )
  })
})
