// The tests' safety net: for every cluster state a test's main saved (in this run, or in a run that
// was killed before its posts), post as the runner runs it, as root, with cleanup forced on.
import { spawnSync } from 'node:child_process'
import { existsSync, readFileSync, readdirSync } from 'node:fs'
import path from 'node:path'

/** Reads GITHUB_OUTPUT / GITHUB_STATE / GITHUB_ENV: `name<<DELIMITER` heredocs (and `name=value`); the last value wins. */
export function parseFileCommands(text) {
  const values = {}
  const lines = text.split('\n')
  for (let i = 0; i < lines.length; i++) {
    const heredoc = /^([^=<]+)<<(.+)$/.exec(lines[i])
    if (heredoc) {
      const end = lines.indexOf(heredoc[2], i + 1)
      values[heredoc[1]] = lines.slice(i + 1, end).join('\n')
      i = end
    } else if (lines[i].includes('=')) {
      const at = lines[i].indexOf('=')
      values[lines[i].slice(0, at)] = lines[i].slice(at + 1)
    }
  }
  return values
}

/** Runs post for every saved cluster state under `testTmp`; returns what post printed for each. */
export function removeTestClusters(testTmp, entry) {
  const results = []
  if (!existsSync(testTmp) || !existsSync(entry)) return results
  for (const job of readdirSync(testTmp).filter((name) => name.startsWith('job-'))) {
    const dir = path.join(testTmp, job)
    for (const file of readdirSync(dir).filter((name) => name.startsWith('state-'))) {
      const text = parseFileCommands(readFileSync(path.join(dir, file), 'utf8')).cluster
      if (!text) continue
      const state = { ...JSON.parse(text), cleanup: true }
      // Post deletes the cluster's dir last: a dir that is gone was posted already.
      if (!existsSync(state.dir)) continue
      const env = Object.fromEntries(Object.entries(process.env).filter(([key]) => !/^(INPUT_|STATE_|GITHUB_|AWS_)/.test(key)))
      // An amazonec2 cluster's fake EC2 is gone with its test: post must never reach AWS itself (nor the
      // instance metadata service) with whatever credentials the machine has, so its EC2 calls go nowhere.
      const offline = { AWS_ENDPOINT_URL_EC2: 'http://127.0.0.1:9', AWS_EC2_METADATA_DISABLED: 'true' }
      const post = spawnSync(process.execPath, [entry], {
        env: { ...env, ...offline, STATE_isPost: 'true', STATE_cluster: JSON.stringify(state) },
        encoding: 'utf8',
        timeout: 120_000
      })
      results.push({ name: state.name, code: post.status, output: `${post.stdout}${post.stderr}` })
    }
  }
  return results
}
