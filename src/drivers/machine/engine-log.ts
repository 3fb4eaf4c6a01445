import type { EngineLogLimits } from '../driver.js'
import { lastLines, type MachineCommand } from './cli.js'

// A machine's engine log, read over `docker-machine ssh`: systemd hosts keep it in the journal,
// boot2docker in /var/log/docker.log. Bounded in time by the command, in size on the host (tail -c).
const READ_LOG = (maxBytes: number) =>
  `if command -v journalctl >/dev/null 2>&1 && sudo -n journalctl -u docker --no-pager -n 1 >/dev/null 2>&1; ` +
  `then sudo -n journalctl -u docker --no-pager -o short-iso | tail -c ${maxBytes}; ` +
  `else sudo -n tail -c ${maxBytes} /var/log/docker.log 2>/dev/null || tail -c ${maxBytes} /var/log/docker.log; fi`

export async function machineEngineLog(machine: MachineCommand, name: string, limits: EngineLogLimits): Promise<string> {
  const result = await machine(['ssh', name, READ_LOG(limits.maxBytes)], limits.timeoutMs)
  if (result.code !== 0) throw new Error(`docker-machine ssh ${name} could not read the engine log: ${lastLines(result)}`)
  return result.stdout
}
