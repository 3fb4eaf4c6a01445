// Benchmark (not a test) of the docker-machine path: creating 5 nodes whose create takes a fixed
// time, against 1 such node (target: at most 1.3 x), and installing docker-machine from the tool
// cache (target: under 0.2 s). The figures are the action's own phase timings (its job summary).
// Hosts are real engines: a local swarm of 5 whose nodes then leave it, used as `none` hosts.
import { execFileSync } from 'node:child_process'
import { chownSync, mkdtempSync, rmSync } from 'node:fs'
import path from 'node:path'
import { Job, TEST_TMP, type StepResult } from '../__tests__/harness/action.ts'
import { startReleaseServer } from '../__tests__/fixtures/release-server.js'
import { runnerUser } from '../__tests__/harness/runner-user.js'

const CREATE_MS = Number(process.env.BENCH_CREATE_MS ?? 2000)
const VERSION = 'v0.16.2-gitlab.59'
const STAND_IN = path.resolve(import.meta.dirname, '..', '__tests__', 'fixtures', 'docker-machine', 'docker-machine')

type NodeOutput = { name: string; dockerHost: string }

function phaseSeconds(step: StepResult, phase: RegExp): number {
  const row = [...step.summary.matchAll(/<tr><td>([^<]+)<\/td><td>([\d.]+)<\/td><\/tr>/g)].find(([, name]) => phase.test(name))
  if (!row) throw new Error(`no phase matching ${phase} in the job summary`)
  return Number(row[2])
}

function check(step: StepResult, what: string): StepResult {
  if (step.code !== 0) throw new Error(`${what} failed:\n${step.stdout}${step.stderr}`)
  return step
}

const hostsJob = new Job()
const hosts = check(await hostsJob.run('main', { inputs: { name: 'bench-hosts', managers: '1', workers: '4' } }), 'the hosts')
const toolCache = mkdtempSync(path.join(TEST_TMP, 'bench-tool-cache-'))
// The action runs as the runner user, as on GitHub: the tool cache is that user's.
const runner = runnerUser()
if (!runner) throw new Error('no runner user: the end-to-end global setup creates it')
chownSync(toolCache, runner.uid, runner.gid)
const release = await startReleaseServer({ version: VERSION, binaryPath: STAND_IN })
const jobs: Job[] = [hostsJob]
try {
  const nodes = JSON.parse(hosts.outputs.nodes) as NodeOutput[]
  for (const node of nodes) {
    execFileSync('docker', ['swarm', 'leave', '--force'], { env: { ...process.env, ...hosts.env, DOCKER_HOST: node.dockerHost }, stdio: 'ignore' })
  }
  const tls = hosts.outputs['cert-path']
  const runNone = async (count: number) => {
    const job = new Job()
    jobs.push(job)
    const inputs = {
      driver: 'none',
      name: `bench-none-${count}`,
      'machine-version': VERSION,
      'machine-url': release.url,
      'tls-ca-cert': path.join(tls, 'ca.pem'),
      'tls-ca-key': path.join(tls, '..', 'ca', 'ca-key.pem'),
      'tls-client-cert': path.join(tls, 'cert.pem'),
      'tls-client-key': path.join(tls, 'key.pem'),
      nodes: nodes
        .slice(0, count)
        .map((node, i) => `- role: ${i ? 'worker' : 'manager'}\n  opts: --url ${node.dockerHost}`)
        .join('\n')
    }
    const env = { RUNNER_TOOL_CACHE: toolCache, FAKE_MACHINE_CREATE_DELAY_MS: String(CREATE_MS) }
    const main = check(await job.run('main', { inputs, env }), `main with ${count} none node(s)`)
    const post = check(await job.run('post', { state: main.state, env }), `post with ${count} none node(s)`)
    if (post.stdout.includes('::warning::')) throw new Error(`post left something:\n${post.stdout}`)
    return { install: phaseSeconds(main, /^Preparing the none driver$/), create: phaseSeconds(main, /^Creating \d+ manager/) }
  }

  const download = await runNone(1) // fills the tool cache
  const one = await runNone(1)
  const five = await runNone(5)
  const ratio = five.create / one.create
  const rows: Array<[string, string, string]> = [
    ['install, downloading', download.install.toFixed(2), ''],
    ['install, from the tool cache', one.install.toFixed(2), one.install < 0.2 ? 'PASS (< 0.2 s)' : 'MISS (< 0.2 s)'],
    [`create 1 node (each create takes ${CREATE_MS / 1000} s)`, one.create.toFixed(2), ''],
    ['create 5 nodes', five.create.toFixed(2), ''],
    ['5 nodes / 1 node', ratio.toFixed(2), ratio <= 1.3 ? 'PASS (<= 1.3)' : 'MISS (<= 1.3)']
  ]
  console.log('docker-machine driver (stand-in, none hosts), seconds:')
  for (const [what, value, target] of rows) console.log(`  ${what.padEnd(44)} ${value.padStart(6)}  ${target}`)
} finally {
  await release.close()
  check(await hostsJob.run('post', { state: hosts.state }), 'removing the hosts')
  for (const job of jobs) rmSync(job.dir, { recursive: true, force: true })
  rmSync(toolCache, { recursive: true, force: true })
}
