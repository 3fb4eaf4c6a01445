import * as core from '@actions/core'
import { runMain } from './main.js'

// A cancel: the runner sends SIGINT, then SIGTERM. Say what happens next, then stop at once.
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    core.warning(`setup-swarm was cancelled (${signal}); the post step removes whatever was created`)
    process.exit(1)
  })
}

await runMain()
