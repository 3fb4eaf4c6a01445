// The integration path's speed, on this machine, in one run: a 100 MB image built on the runner's
// engine (a dockerd of the benchmark's own, as on GitHub) and a two-service stack using it, on
// 1 manager + 2 workers, from main's start to every service converged; and loading that image into
// 7 nodes against into 1 node. A benchmark, not a test: it exits 0 when a target is missed, and
// non-zero only when something failed to run.
// Usage: npm run bench:integration (as root; BENCH_RUNS=<n> repetitions, default 3).
import { spawnSync } from 'node:child_process'
import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { RUNS } from './bench-env.ts'

const IMAGE = 'bench/app:1'
/** Where a slow convergence's logs are kept (outside the benchmark's own TMPDIR, which goes at exit). */
const STALLS = process.env.BENCH_STALLS ?? '/tmp/setup-swarm-bench-stalls'
const IMAGE_MB = 100

const { Job, TEST_TMP } = (await import(
  new URL('../__tests__/harness/action.ts', import.meta.url).href
)) as typeof import('../__tests__/harness/action.js')
const { startRunnerEngine } = (await import(
  new URL('../__tests__/harness/runner-engine.ts', import.meta.url).href
)) as typeof import('../__tests__/harness/runner-engine.js')
const { runnerUser } = (await import(
  new URL('../__tests__/harness/runner-user.js', import.meta.url).href
)) as typeof import('../__tests__/harness/runner-user.js')

const STACK = `services:
  web:
    image: ${IMAGE}
    command: ["httpd", "-f", "-p", "8080", "-h", "/www"]
    ports: [{ target: 8080, published: 18081, mode: host }]
    deploy: { endpoint_mode: dnsrr }
  agent:
    image: ${IMAGE}
    command: ["sleep", "3600"]
    deploy: { mode: global, endpoint_mode: dnsrr }
`

const seconds = (since: number) => (performance.now() - since) / 1000
const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b)
  const middle = sorted.length >> 1
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
}

interface Run {
  main: number
  post: number
  /** The action's own figures: loading over the API, plus (local) sharing the first node's image store. */
  load: number
  /** Main's phases, from its job summary. */
  phases: Record<string, number>
}

async function runAction(label: string, inputs: Record<string, string>, env: Record<string, string>): Promise<Run> {
  const job = new Job()
  try {
    let stack: Record<string, string> = {}
    if (inputs.stack === 'yes') {
      const dir = path.join(job.dir, 'app')
      mkdirSync(dir)
      writeFileSync(path.join(dir, 'stack.yml'), STACK)
      chmodSync(dir, 0o755)
      stack = { stack: 'app/stack.yml' }
    }
    let started = performance.now()
    const main = await job.run('main', { inputs: { ...inputs, ...stack, name: `bench-${label}`, images: IMAGE }, env, timeoutMs: 300_000 })
    const mainSeconds = seconds(started)
    const slow = /<tr><td>Deploying[^<]+<\/td><td>([\d.]+)<\/td><\/tr>/.exec(main.summary)
    if (slow && Number(slow[1]) > 10) keepStall(job, `bench-${label}`, main.stdout)
    started = performance.now()
    const post = await job.run('post', { state: main.state })
    const postSeconds = seconds(started)
    if (main.code !== 0) throw new Error(`main failed for ${label} (exit ${main.code ?? main.signal}):\n${main.stdout}${main.stderr}`)
    if (post.code !== 0 || post.stdout.includes('::warning::')) throw new Error(`post failed for ${label}:\n${post.stdout}${post.stderr}`)
    const load = /loaded 1 image\(s\), [\d.]+ MB read once from the runner's engine, into \d+ node\(s\) in ([\d.]+) s/.exec(main.stdout)
    if (!load) throw new Error(`main for ${label} printed no load figure:\n${main.stdout}`)
    const shared = /image store of \S+ shared with \d+ node\(s\) \(hard links\) in ([\d.]+) s/.exec(main.stdout)
    const deploying = Object.entries(
      Object.fromEntries([...main.summary.matchAll(/<tr><td>(Deploying[^<]+)<\/td><td>([\d.]+)<\/td><\/tr>/g)].map((row) => [row[1], Number(row[2])]))
    )[0]
    // A slow convergence says why: the lines of main that tell what the services went through.
    if (deploying && deploying[1] > 10)
      console.log(
        main.stdout
          .split('\n')
          .filter((line) => /still waiting|converged|fail/i.test(line))
          .join('\n')
      )
    const phases = Object.fromEntries(
      [...main.summary.matchAll(/<tr><td>([^<]+)<\/td><td>([\d.]+)<\/td><\/tr>/g)].map((row) => [row[1], Number(row[2])])
    )
    return { main: mainSeconds, post: postSeconds, load: Number(load[1]) + Number(shared?.[1] ?? 0), phases }
  } finally {
    rmSync(job.dir, { recursive: true, force: true })
  }
}

/**
 * A slow convergence, kept for a look before post removes the cluster: main's log, each node's
 * engine log, and what the swarm says of every task (\`docker node ps\`, \`docker service ps\`).
 */
function keepStall(job: InstanceType<typeof Job>, name: string, log: string) {
  const cluster = path.join(job.runnerTemp, 'setup-swarm', name)
  const kept = mkdtempSync(path.join(STALLS, `${name}-`))
  writeFileSync(path.join(kept, 'main.log'), log)
  const nodes = path.join(cluster, 'nodes')
  for (const node of readdirSync(nodes)) copyFileSync(path.join(nodes, node, 'dockerd.log'), path.join(kept, `${node}.log`))
  const certs = path.join(cluster, 'tls')
  const manager = /swarm initialised on \S+ \(([\d.]+):2377\)/.exec(log)?.[1]
  const docker = `docker -H tcp://${manager}:2376 --tlsverify --tlscacert ${certs}/ca.pem --tlscert ${certs}/cert.pem --tlskey ${certs}/key.pem`
  const swarm = spawnSync(
    'sh',
    ['-c', `${docker} node ps --no-trunc $(${docker} node ls -q); ${docker} service ps --no-trunc $(${docker} service ls -q)`],
    {
      encoding: 'utf8',
      timeout: 30_000
    }
  )
  writeFileSync(path.join(kept, 'tasks.txt'), `${swarm.stdout}${swarm.stderr}`)
  console.log(`slow convergence: main's log, the engines' logs and the tasks kept in ${kept}`)
}

mkdirSync(TEST_TMP, { recursive: true, mode: 0o711 })
mkdirSync(STALLS, { recursive: true, mode: 0o700 })
if (!runnerUser()) throw new Error('no runner user: run the end-to-end tests once (their setup creates it)')
const engine = await startRunnerEngine('bench')
let failed = false
const figures = { stack: [] as Run[], one: [] as Run[], seven: [] as Run[] }
try {
  const started = performance.now()
  engine.buildImage(IMAGE, IMAGE_MB)
  console.log(`built ${IMAGE} (${IMAGE_MB} MB of random data on busybox) in ${seconds(started).toFixed(2)} s`)
  for (let run = 1; run <= RUNS; run++) {
    // Interleaved, so that a drift of the machine's speed weighs on every figure alike.
    const stack = await runAction(`stack-${run}`, { managers: '1', workers: '2', stack: 'yes' }, engine.env)
    const one = await runAction(`one-${run}`, { managers: '1', workers: '0' }, engine.env)
    const seven = await runAction(`seven-${run}`, { managers: '1', workers: '6' }, engine.env)
    figures.stack.push(stack)
    figures.one.push(one)
    figures.seven.push(seven)
    const phases = Object.entries(stack.phases)
      .filter(([, value]) => value >= 0.05)
      .map(([phase, value]) => `${phase.replace(/ with driver.*| \(.*/, '')} ${value.toFixed(2)}`)
      .join(', ')
    console.log(
      `run ${run}/${RUNS}: 1+2 with image and stack ${stack.main.toFixed(3)} s (${phases}; post ${stack.post.toFixed(3)} s); ` +
        `load into 1 node ${one.load.toFixed(3)} s, into 7 nodes ${seven.load.toFixed(3)} s`
    )
  }
} catch (error) {
  console.error(`benchmark failed: ${(error as Error).message}`)
  failed = true
} finally {
  await engine.stop()
}

if (!failed) {
  const m = (runs: Run[], key: 'main' | 'post' | 'load') => median(runs.map((run) => run[key]))
  const [path12, load1, load7] = [m(figures.stack, 'main'), m(figures.one, 'load'), m(figures.seven, 'load')]
  console.log(`\nmedians of ${RUNS} run(s), ${new Date().toISOString()}`)
  console.log(
    `1+2, ${IMAGE_MB} MB image, 2-service stack: main start to every service converged ${path12.toFixed(3)} s (post ${m(figures.stack, 'post').toFixed(3)} s)`
  )
  console.log(`load ${IMAGE_MB} MB into 1 node ${load1.toFixed(3)} s, into 7 nodes ${load7.toFixed(3)} s: ratio ${(load7 / load1).toFixed(2)}`)
  console.log('\ntargets:')
  const target = (what: string, met: boolean) => console.log(`${met ? 'PASS' : 'MISS'}  ${what}`)
  target(`1+2 with image and stack < 5 s (${path12.toFixed(3)} s)`, path12 < 5)
  target(`load into 7 nodes <= 1.5 x into 1 node (${(load7 / load1).toFixed(2)})`, load7 <= 1.5 * load1)
}
process.exitCode = failed ? 1 : 0
