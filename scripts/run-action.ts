// Runs the action here as a workflow step would (the tests' runner emulation): main, then
// `docker node ls` through the exported environment, then post. Inputs come from INPUT_*
// variables, as on a runner; unset ones take action.yml's defaults.
import { execFileSync } from 'node:child_process'
import { rmSync } from 'node:fs'
import { Job } from '../__tests__/harness/action.ts'

const inputs = Object.fromEntries(
  Object.entries(process.env)
    .filter(([key]) => key.startsWith('INPUT_'))
    .map(([key, value]) => [key.slice('INPUT_'.length).toLowerCase(), value ?? ''])
)
const job = new Job()
try {
  console.log('== main')
  const main = await job.run('main', { inputs })
  process.stdout.write(main.stdout + main.stderr)
  if (main.code === 0) {
    console.log('== docker node ls')
    execFileSync('docker', ['node', 'ls'], { stdio: 'inherit', env: { ...process.env, ...main.env } })
  }
  console.log('== post')
  const post = await job.run('post', { state: main.state })
  process.stdout.write(post.stdout + post.stderr)
  process.exitCode = main.code || post.code || (post.stdout.includes('::warning::') ? 1 : 0)
} finally {
  rmSync(job.dir, { recursive: true, force: true })
}
