import { execFileSync, spawn, spawnSync } from 'node:child_process'

/**
 * A host beyond the runner, the tests' stand-in for the internet: its own namespace, reached
 * only through the runner's routing, answering each connection with the address it came from.
 */
export async function startOutsideHost(): Promise<{ netns: string; ip: string; port: number; runnerIp: string; stop: () => void }> {
  const [netns, link, runnerIp, ip, port] = ['swmtest-outside', 'swmtestout0', '203.0.113.1', '203.0.113.2', 8080]
  const sh = (command: string) => execFileSync('sh', ['-c', command], { stdio: 'pipe' })
  const stop = () => {
    spawnSync('sh', ['-c', `kill -KILL $(ip netns pids ${netns}) 2>/dev/null; ip netns delete ${netns}; ip link delete ${link}`])
  }
  stop()
  sh(
    `ip netns add ${netns} && ip link add ${link} type veth peer name eth0 netns ${netns} && ip addr add ${runnerIp}/24 dev ${link} && ip link set ${link} up`
  )
  sh(`ip -n ${netns} addr add ${ip}/24 dev eth0 && ip -n ${netns} link set eth0 up && ip -n ${netns} link set lo up`)
  const server = `require('net').createServer((s) => s.end(s.remoteAddress.replace(/^::ffff:/, ''))).listen(${port}, () => console.log('listening'))`
  const child = spawn('nsenter', [`--net=/run/netns/${netns}`, process.execPath, '-e', server], { stdio: ['ignore', 'pipe', 'inherit'] })
  await new Promise<void>((resolve) => child.stdout.once('data', () => resolve()))
  return { netns, ip, port, runnerIp, stop: () => (child.kill('SIGKILL'), stop()) }
}
