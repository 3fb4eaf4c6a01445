// The action's speed against a careful serial shell script doing the same steps
// (scripts/serial-swarm.sh), on this machine, in the same run. A benchmark, not a test:
// it exits 0 when a target is missed, and non-zero only when something failed to run.
// Usage: npm run bench (as root; BENCH_RUNS=<n> repetitions of each scenario, default 3).
import { spawn } from 'node:child_process'
import { mkdirSync, rmSync } from 'node:fs'
import path from 'node:path'
import { RUNS } from './bench-env.ts'

// Loaded only now, as the harness fixes TEST_TMP when it loads (a static import loads first).
const harness = new URL('../__tests__/harness/action.ts', import.meta.url).href
const { Job, ROOT, TEST_TMP } = (await import(harness)) as typeof import('../__tests__/harness/action.js')

const SCENARIOS = [
  { managers: 1, workers: 2 },
  { managers: 3, workers: 4 }
]

interface Figures {
  actionReady: number[]
  actionPost: number[]
  serialReady: number[]
  serialStop: number[]
}

const seconds = (since: number) => (performance.now() - since) / 1000

async function runAction(managers: number, workers: number, run: number): Promise<[number, number]> {
  const job = new Job()
  try {
    let started = performance.now()
    const main = await job.run('main', {
      inputs: { name: `bench-${managers}-${workers}-${run}`, managers: String(managers), workers: String(workers) }
    })
    const ready = seconds(started)
    // Post runs whatever main did: it removes what a failed main left.
    started = performance.now()
    const post = await job.run('post', { state: main.state })
    const stop = seconds(started)
    const nodes = main.outputs.nodes ? (JSON.parse(main.outputs.nodes) as unknown[]).length : 0
    if (main.code !== 0 || nodes !== managers + workers) {
      throw new Error(`the action's main failed (exit ${main.code ?? main.signal}, ${nodes} node(s)):\n${main.stdout}${main.stderr}`)
    }
    if (post.code !== 0 || post.stdout.includes('::warning::'))
      throw new Error(`the action's post failed (exit ${post.code ?? post.signal}):\n${post.stdout}${post.stderr}`)
    return [ready, stop]
  } finally {
    rmSync(job.dir, { recursive: true, force: true })
  }
}

async function runSerial(managers: number, workers: number): Promise<[number, number]> {
  const child = spawn('bash', [path.join(ROOT, 'scripts', 'serial-swarm.sh'), String(managers), String(workers)], {
    stdio: ['ignore', 'pipe', 'pipe']
  })
  let stdout = ''
  let stderr = ''
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk))
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk))
  const timer = setTimeout(() => child.kill('SIGTERM'), 300_000)
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve))
  clearTimeout(timer)
  const figure = (name: string) => Number(new RegExp(`^${name}=([0-9.]+)$`, 'm').exec(stdout)?.[1] ?? NaN)
  const [ready, stop] = [figure('ready_seconds'), figure('stop_seconds')]
  if (code !== 0 || Number.isNaN(ready) || Number.isNaN(stop))
    throw new Error(`serial-swarm.sh ${managers} ${workers} failed (exit ${code}):\n${stdout}${stderr}`)
  return [ready, stop]
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  const middle = sorted.length >> 1
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
}

mkdirSync(TEST_TMP, { recursive: true, mode: 0o711 })
const results = new Map<string, Figures>()
const floor: number[] = []
let failed = false
try {
  for (const { managers, workers } of SCENARIOS) {
    const label = `${managers}+${workers}`
    const figures: Figures = { actionReady: [], actionPost: [], serialReady: [], serialStop: [] }
    results.set(label, figures)
    // Interleaved, so that a drift of the machine's speed weighs on both alike.
    for (let run = 1; run <= RUNS; run++) {
      const [actionReady, actionPost] = await runAction(managers, workers, run)
      const [serialReady, serialStop] = await runSerial(managers, workers)
      // This machine's floor, in the same run: one engine started and initialised by hand.
      floor.push((await runSerial(1, 0))[0])
      figures.actionReady.push(actionReady)
      figures.actionPost.push(actionPost)
      figures.serialReady.push(serialReady)
      figures.serialStop.push(serialStop)
      console.log(
        `${label} run ${run}/${RUNS}: action ready ${actionReady.toFixed(3)} s, post ${actionPost.toFixed(3)} s; serial ready ${serialReady.toFixed(3)} s, stop ${serialStop.toFixed(3)} s`
      )
    }
  }
} catch (error) {
  console.error(`benchmark failed: ${(error as Error).message}`)
  failed = true
}

if (!failed) {
  const m = (label: string, key: keyof Figures) => median(results.get(label)![key])
  const cell = (value: number, width = 14) => `${value.toFixed(3)} s`.padStart(width)
  console.log(`\nmedians of ${RUNS} run(s), ${new Date().toISOString()}`)
  console.log(
    `${'nodes'.padEnd(8)}${'action ready'.padStart(14)}${'serial ready'.padStart(14)}${'ratio'.padStart(8)}${'action post'.padStart(14)}${'serial stop'.padStart(14)}${'ratio'.padStart(8)}`
  )
  for (const label of results.keys()) {
    const ratio = (a: number, b: number) => (a / b).toFixed(2).padStart(8)
    const [ready, serialReady, post, serialStop] = [m(label, 'actionReady'), m(label, 'serialReady'), m(label, 'actionPost'), m(label, 'serialStop')]
    console.log(
      `${label.padEnd(8)}${cell(ready)}${cell(serialReady)}${ratio(ready, serialReady)}${cell(post)}${cell(serialStop)}${ratio(post, serialStop)}`
    )
  }
  const floorSeconds = median(floor)
  console.log(
    `floor (serial 1+0 ready) ${floorSeconds.toFixed(3)} s; action 3+4 ready = ${(m('3+4', 'actionReady') / floorSeconds).toFixed(2)} x floor`
  )
  console.log('\ntargets:')
  const target = (what: string, met: boolean) => console.log(`${met ? 'PASS' : 'MISS'}  ${what}`)
  target(`action 1+2 ready < 2 s (${m('1+2', 'actionReady').toFixed(3)} s)`, m('1+2', 'actionReady') < 2)
  target(`action 3+4 ready < 3 s (${m('3+4', 'actionReady').toFixed(3)} s)`, m('3+4', 'actionReady') < 3)
  target(`post 1+2 < 2 s (${m('1+2', 'actionPost').toFixed(3)} s)`, m('1+2', 'actionPost') < 2)
  target(`post 3+4 < 1 s (${m('3+4', 'actionPost').toFixed(3)} s)`, m('3+4', 'actionPost') < 1)
  target(
    `action 3+4 ready <= 2 x floor (${m('3+4', 'actionReady').toFixed(3)} s <= ${(2 * floorSeconds).toFixed(3)} s)`,
    m('3+4', 'actionReady') <= 2 * floorSeconds
  )
  const limit = 0.8 * m('3+4', 'serialReady')
  target(
    `action 3+4 ready <= 0.8 x serial 3+4 ready (${m('3+4', 'actionReady').toFixed(3)} s <= ${limit.toFixed(3)} s)`,
    m('3+4', 'actionReady') <= limit
  )
}
process.exitCode = failed ? 1 : 0
