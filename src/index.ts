import * as core from '@actions/core'
import { driverFor } from './drivers/index.js'
import { isPost, markMainStarted } from './state/cluster.js'
import { killRunningCommands } from './tools/command.js'

// One bundle for main and post: the runner runs it twice, and the state main saved says which. Each
// loads only its own code (post starts removing while the nodes still keep the runner busy).
if (isPost()) {
  const { runPost } = await import('./post.js')
  await runPost(driverFor)
} else {
  markMainStarted()
  // A cancel: the runner sends SIGINT, then SIGTERM. End what main started, say what happens next, stop.
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      killRunningCommands()
      core.warning(`setup-swarm was cancelled (${signal}); the post step removes whatever was created`)
      process.exit(1)
    })
  }
  const { runMain } = await import('./main.js')
  await runMain(driverFor)
}
