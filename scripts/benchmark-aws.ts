// Benchmark (not a test) of driver aws against the fake EC2 endpoint whose instances boot on real
// hosts (__tests__/harness/instance-hosts.ts): where a 1 + 2's time goes, phase by phase, from main's
// start to the swarm formed, and each node's phases (launched, running, host keys, provisioned, engine
// answers) from the start of creating. EC2's own boot is a fixed wait here (BENCH_BOOT_MS, default
// 0): the figures are the action's share; on real EC2 the boot and apt's install add to them.
import { RUNS } from './bench-env.ts'

const { Job } = await import('../__tests__/harness/action.ts')
const { startFakeEc2 } = await import('../__tests__/fixtures/fake-ec2.ts')
const { startInstanceHosts } = await import('../__tests__/harness/instance-hosts.ts')
const { credentialEnv } = await import('../__tests__/harness/ec2.ts')

const REGION = 'eu-west-1'
const CREDENTIALS = { accessKeyId: 'ASIABENCHAWSDRIVER01', secretAccessKey: 'bench/Aws+Driver+Secret/0123456789', sessionToken: 'bench-aws-token' }
const BOOT_MS = Number(process.env.BENCH_BOOT_MS ?? 0)

/** The rows of the job summary's tables whose first cell matches `first`, as arrays of cells. */
function summaryRows(summary: string, first: RegExp): string[][] {
  return [...summary.matchAll(/<tr>(.*?)<\/tr>/g)]
    .map(([, row]) => [...row.matchAll(/<t[dh]>([^<]*)<\/t[dh]>/g)].map(([, cell]) => cell))
    .filter((cells) => first.test(cells[0] ?? ''))
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]

const hosts = await startInstanceHosts('awsbench', 3)
const fake = await startFakeEc2({
  region: REGION,
  credentials: [CREDENTIALS],
  instanceHosts: hosts,
  bootMs: BOOT_MS,
  shutdownMs: 200,
  releaseMs: 200
})
const env = { ...credentialEnv(CREDENTIALS), AWS_REGION: REGION, AWS_ENDPOINT_URL_EC2: fake.url, AWS_EC2_METADATA_DISABLED: 'true' }
const totals: number[] = []
const nodePhases = new Map<string, number[][]>()
let phaseNames: string[] = []
try {
  for (let run = 1; run <= RUNS; run++) {
    const job = new Job()
    const started = Date.now()
    const inputs = { driver: 'aws', name: `bench-aws-${run}`, managers: '1', workers: '2', 'allowed-cidrs': '198.51.100.7/32' }
    const main = await job.run('main', { inputs, env, timeoutMs: 300_000 })
    const seconds = (Date.now() - started) / 1000
    if (main.code !== 0) throw new Error(`main failed:\n${main.stdout}${main.stderr}`)
    const post = await job.run('post', { state: main.state, env })
    if (post.code !== 0 || post.stdout.includes('::warning::')) throw new Error(`post left something:\n${post.stdout}`)
    await fake.settled()
    totals.push(seconds)
    const phases = summaryRows(main.summary, /^[A-Z][a-z]+ /).map(([phase, value]) => `${phase} ${value}`)
    const header = summaryRows(main.summary, /^Node$/)[0]
    phaseNames = header.slice(2)
    // The driver's table (node, instance, phases), not main's table of the swarm's members.
    const driverRows = summaryRows(main.summary, new RegExp(`^bench-aws-${run}-`)).filter((cells) => cells[1]?.startsWith('i-'))
    for (const [node, , ...values] of driverRows) {
      const role = node.replace(`bench-aws-${run}-`, '')
      nodePhases.set(role, [...(nodePhases.get(role) ?? []), values.map(Number)])
    }
    console.log(`run ${run}/${RUNS}: 1+2 formed ${seconds.toFixed(2)} s after main started (${phases.join(', ')})`)
  }
  console.log(`\nmedians of ${RUNS} run(s), ${new Date().toISOString()}, EC2 boot ${BOOT_MS / 1000} s`)
  console.log(`1+2 with driver aws, main's start to the swarm formed: ${median(totals).toFixed(2)} s`)
  console.log(`each node, seconds from the start of creating: ${phaseNames.join(' / ')}`)
  for (const [role, runs] of nodePhases)
    console.log(`  ${role.padEnd(10)} ${phaseNames.map((_, i) => median(runs.map((values) => values[i])).toFixed(1)).join(' / ')}`)
} finally {
  await fake.settled()
  await fake.close()
  await hosts.stop()
}
