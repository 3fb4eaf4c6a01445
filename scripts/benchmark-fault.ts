// How fast the fault action's faults take effect on a `local` swarm of 3 managers and 2 workers:
// the fault itself (its "done in" line: the engine killed, the node frozen, the rules in place),
// and `start` until the swarm shows the node Ready again. A benchmark, not a test: it exits 0 when
// a target is missed, and non-zero only when something failed to run.
// Usage: node scripts/benchmark-fault.ts (as root, after `npm run build`; BENCH_RUNS=<n>, default 3).
import { RUNS } from './bench-env.ts'

const harness = new URL('../__tests__/harness/action.ts', import.meta.url).href
const { Job } = (await import(harness)) as typeof import('../__tests__/harness/action.js')

/** Targets: stop, pause and partition take effect within 0.1 s; a start is Ready within 2 s. */
const TARGETS = { stop: 0.1, pause: 0.1, partition: 0.1, 'start to Ready': 2 }
const figures: Record<string, number[]> = { stop: [], start: [], 'start to Ready': [], pause: [], resume: [], partition: [], heal: [] }

const job = new Job()
const name = 'bench-fault'
const main = await job.run('main', { inputs: { name, managers: '3', workers: '2' } })
try {
  if (main.code !== 0) throw new Error(`main failed:\n${main.stdout}${main.stderr}`)
  const fault = async (fault: string, nodes: string, wait = 'false') => {
    const step = await job.run('main', { action: 'fault', inputs: { name, fault, nodes, wait } })
    if (step.code !== 0) throw new Error(`fault ${fault} failed:\n${step.stdout}${step.stderr}`)
    figures[fault].push(Number(/done in ([\d.]+) s/.exec(step.stdout)![1]))
    const shown = /the swarm shows it after ([\d.]+) s/.exec(step.stdout)
    if (shown) figures[`${fault} to Ready`]?.push(Number(shown[1]))
  }
  for (let run = 0; run < RUNS; run++) {
    await fault('stop', 'worker-1')
    await fault('start', 'worker-1', 'true')
    await fault('pause', 'worker-2')
    await fault('resume', 'worker-2', 'true')
    await fault('partition', 'manager-3')
    await fault('heal', 'manager-3', 'true')
  }
} finally {
  const post = await job.run('post', { state: main.state })
  if (post.code !== 0 || post.stdout.includes('::warning::')) console.error(`post failed:\n${post.stdout}${post.stderr}`)
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]
console.log(`| Fault | Median (s) | Runs (s) | Target |\n| --- | --- | --- | --- |`)
for (const [fault, values] of Object.entries(figures)) {
  const target = TARGETS[fault as keyof typeof TARGETS]
  const verdict = target === undefined ? '' : median(values) <= target ? `< ${target} s: met` : `< ${target} s: MISSED`
  console.log(`| ${fault} | ${median(values).toFixed(3)} | ${values.map((value) => value.toFixed(3)).join(', ')} | ${verdict} |`)
}
