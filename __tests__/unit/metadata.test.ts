import { describe, expect, it } from '@jest/globals'
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { parse } from 'yaml'
import { ROOT } from '../harness/action.js'

const read = (file: string) => readFileSync(path.join(ROOT, file), 'utf8')

describe('action.yml, README and workflow', () => {
  const action = parse(read('action.yml')) as {
    inputs: Record<string, { description?: string; default?: string }>
    outputs: Record<string, { description?: string }>
    runs: Record<string, string>
  }

  it('declares a node24 action whose post always runs, both from the one bundle', () => {
    expect(action.runs).toEqual({ using: 'node24', main: 'dist/index.js', post: 'dist/index.js', 'post-if': 'always()' })
  })

  it('describes every input and output, and the README names each', () => {
    const readme = read('README.md')
    for (const [name, spec] of [...Object.entries(action.inputs), ...Object.entries(action.outputs)]) {
      expect({ name, described: Boolean(spec.description?.trim()) }).toEqual({ name, described: true })
      expect({ name, inReadme: readme.includes(`\`${name}\``) }).toEqual({ name, inReadme: true })
    }
  })

  it('has a diagnose action beside it, run from the shared dist/, whose inputs and outputs the README names', () => {
    const diagnose = parse(read('diagnose/action.yml')) as typeof action
    expect(diagnose.runs).toEqual({ using: 'node24', main: '../dist/diagnose/index.js' })
    const readme = read('README.md')
    expect(readme).toContain('/diagnose@')
    for (const [name, spec] of [...Object.entries(diagnose.inputs), ...Object.entries(diagnose.outputs)]) {
      expect({ name, described: Boolean(spec.description?.trim()), inReadme: readme.includes(`\`${name}\``) }).toEqual({
        name,
        described: true,
        inReadme: true
      })
    }
  })

  it('has a workflow GitHub can parse, with the jobs that run what this machine cannot', () => {
    const workflow = parse(read('.github/workflows/ci.yml')) as { jobs: Record<string, { steps?: unknown[]; uses?: string; needs?: string }> }
    expect(Object.keys(workflow.jobs)).toEqual(
      expect.arrayContaining([
        'checks',
        'test',
        'check-dist',
        'local',
        'local-leaves-nothing',
        'virtualbox',
        'swarm-test',
        'amazonec2-gate',
        'amazonec2',
        'amazonec2-leaves-nothing'
      ])
    )
    // Post runs after the last step: only a job after it can see what is left.
    expect(workflow.jobs['amazonec2-leaves-nothing'].needs).toContain('amazonec2')
    // Each job runs steps, or calls a reusable workflow of this repository.
    for (const job of Object.values(workflow.jobs))
      expect(job.steps?.length ?? (job.uses?.startsWith('./.github/workflows/') ? 1 : 0)).toBeGreaterThan(0)
  })

  it('pins every action of another repository by its full commit, naming the version in a comment', () => {
    const uses = read('.github/workflows/ci.yml')
      .split('\n')
      .filter((line) => /^\s*(- )?uses:/.test(line))
      .map((line) => line.replace(/^\s*(- )?uses:\s*/, ''))
    const remote = uses.filter((use) => !use.startsWith('./'))
    expect(remote.length).toBeGreaterThan(0)
    for (const use of remote) expect(use).toMatch(/^[\w.-]+\/[\w.-]+@[0-9a-f]{40} # v\d+\.\d+\.\d+$/)
  })
})
