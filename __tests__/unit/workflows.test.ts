import { describe, expect, it } from '@jest/globals'
import { spawnSync } from 'node:child_process'
import { existsSync, readFileSync, readdirSync } from 'node:fs'
import path from 'node:path'
import { parse as parseYaml } from 'yaml'
import { ROOT } from '../harness/action.js'
import { markdownWorkflow, OWN_ACTIONS, parseWorkflow, readWorkflow, workflowCall, type WorkflowJob, type WorkflowStep } from '../harness/workflow.js'

// The project's workflows: validated by GitHub's own parser (the test command runs the same
// script), and the reusable ones' wiring read from their YAML.

const NODE = existsSync(path.join(ROOT, 'node_modules', '.bin', 'node')) ? path.join(ROOT, 'node_modules', '.bin', 'node') : process.execPath
const FIXTURES = path.join(ROOT, '__tests__', 'fixtures', 'workflows')

function validate(...files: string[]) {
  const result = spawnSync(NODE, [path.join(ROOT, 'scripts', 'validate-workflows.js'), ...files], { encoding: 'utf8', cwd: ROOT })
  return { code: result.status, output: `${result.stdout}${result.stderr}` }
}

describe('the workflow validator (@actions/workflow-parser)', () => {
  it('passes a known-good workflow and action that older npm linters reject', () => {
    expect(validate(path.join(FIXTURES, 'good.yml'), path.join(FIXTURES, 'good-action', 'action.yml'))).toEqual({
      code: 0,
      output: expect.stringContaining('2 valid, 0 invalid') as unknown as string
    })
  })

  it('fails a known-bad workflow and action, naming each error with its line', () => {
    const result = validate(path.join(FIXTURES, 'bad.yml'), path.join(FIXTURES, 'bad-action', 'action.yml'))
    expect(result.code).toBe(1)
    expect(result.output).toContain('(Line: 5, Col: 5): Required property is missing: runs-on')
    expect(result.output).toContain("Unrecognized named-value: 'secretz'")
    expect(result.output).toContain("Unexpected value 'wiht'")
    expect(result.output).toContain("(Line: 4, Col: 10): Unexpected value 'node99'")
    expect(result.output).toContain('0 valid, 2 invalid')
  })

  it('finds every workflow, every action.yml and every complete workflow the README shows valid', () => {
    const result = validate()
    const workflows = readdirSync(path.join(ROOT, '.github', 'workflows')).map((file) => `.github/workflows/${file}`)
    const actions = [
      'action.yml',
      ...['build', 'destroy', 'diagnose', 'fault', 'sweep'].map((dir) => `${dir}/action.yml`),
      '.github/actions/runner-check/action.yml'
    ]
    // The README's quick start, integration job, and callers of swarm-test and pr-environment, at least.
    const readme = [...result.output.matchAll(/^✓ README\.md#\d+$/gm)].length
    expect(readme).toBeGreaterThanOrEqual(4)
    for (const file of [...workflows, ...actions]) expect(result.output).toContain(`✓ ${file}\n`)
    expect(result).toEqual({
      code: 0,
      output: expect.stringContaining(`${workflows.length + actions.length + readme} valid, 0 invalid`) as unknown as string
    })
  })

  it('finds every complete workflow the docs show valid, the sweep’s schedule among them', () => {
    const pages = readdirSync(path.join(ROOT, 'docs'))
      .filter((file) => file.endsWith('.md'))
      .map((file) => path.join(ROOT, 'docs', file))
    const result = validate(...pages)
    const shown = [...result.output.matchAll(/^✓ docs\/[\w-]+\.md#\d+$/gm)].map((match) => match[0])
    expect(shown).toContain('✓ docs/actions.md#1')
    expect(readFileSync(path.join(ROOT, 'docs', 'actions.md'), 'utf8')).toContain('uses: your-org/setup-swarm/sweep@v1')
    expect(result).toEqual({ code: 0, output: expect.stringContaining(`${shown.length} valid, 0 invalid`) as unknown as string })
  })
})

const ACTION_INPUTS = (dir: string) =>
  Object.keys((parseYaml(readFileSync(path.join(ROOT, dir, 'action.yml'), 'utf8')) as { inputs: Record<string, unknown> }).inputs)
const stepsOf = (job: WorkflowJob) => job.steps
const findStep = (job: WorkflowJob, uses: string) => stepsOf(job).find((step) => step.uses === uses)
const allWorkflows = readdirSync(path.join(ROOT, '.github', 'workflows')).map((file) => ({
  file,
  text: readFileSync(path.join(ROOT, '.github', 'workflows', file), 'utf8')
}))

describe.each(['swarm-test.yml', 'pr-environment.yml'])('the reusable workflow %s', (file) => {
  const workflow = readWorkflow(`.github/workflows/${file}`)
  const text = readFileSync(path.join(ROOT, '.github', 'workflows', file), 'utf8')
  const jobs = Object.entries(workflow.jobs).filter(([, job]) =>
    job.steps.some((step) => step.uses === './.setup-swarm' || step.uses?.startsWith('./.setup-swarm/'))
  )
  const inputs = Object.keys(workflowCall(workflow)!.inputs)

  it('is called with workflow_call only', () => {
    expect(Object.keys(workflow.on)).toEqual(['workflow_call'])
  })

  it('uses every input it declares', () => {
    const unused = inputs.filter((name) => !text.includes(`inputs.${name} `) && !text.includes(`inputs.${name} }}`))
    expect(unused).toEqual([])
  })

  it('hands every input setup-swarm, build and destroy also take to them unchanged, by the same name', () => {
    for (const [, job] of jobs) {
      for (const [uses, dir] of [
        ['./.setup-swarm', '.'],
        ['./.setup-swarm/destroy', 'destroy']
      ]) {
        const step = findStep(job, uses)
        if (!step) continue
        const passed = ACTION_INPUTS(dir).filter((name) => inputs.includes(name) && name !== 'images' && name !== 'stack')
        for (const name of passed) expect({ name, value: step.with?.[name] }).toEqual({ name, value: `\${{ inputs.${name} }}` })
      }
    }
  })

  it('gets setup-swarm from its own repository and commit (job.workflow_*), before any of its steps', () => {
    for (const [, job] of jobs) {
      const index = stepsOf(job).findIndex((step) => step.with?.path === '.setup-swarm')
      expect(stepsOf(job)[index].with).toMatchObject({ repository: '${{ job.workflow_repository }}', ref: '${{ job.workflow_sha }}' })
      const firstUse = stepsOf(job).findIndex((step) => /^(\.\/)?\.setup-swarm/.test(step.uses ?? '') || (step.run ?? '').includes('.setup-swarm/'))
      expect(firstUse).toBeGreaterThan(index)
    }
    expect(text).not.toMatch(/uses: [\w-]+\/setup-swarm[/@]/)
  })

  it('keeps secrets and inputs out of every command line: run scripts hold no expression, secrets reach only env and action inputs', () => {
    for (const job of Object.values(workflow.jobs)) {
      for (const step of stepsOf(job)) {
        expect({ step: step.name, expression: (step.run ?? '').includes('${{') }).toEqual({ step: step.name, expression: false })
        expect({ step: step.name, secret: (step.if ?? '').includes('secrets.') }).toEqual({ step: step.name, secret: false })
      }
      // Job-wide env may only say whether a secret exists, never hold one.
      for (const value of Object.values(job.env ?? {})) {
        if (String(value).includes('secrets.')) expect(value).toMatch(/^\$\{\{ secrets\.[\w-]+ != '' \}\}$/)
      }
    }
  })

  it('declares no permissions on a job that may assume an AWS role (the caller grants the minimum), and none at all elsewhere', () => {
    expect((workflow as { permissions?: unknown }).permissions).toBeUndefined()
    for (const [name, job] of Object.entries(workflow.jobs)) {
      const mayAssumeRole = job.steps.some((step) => step.uses?.startsWith('aws-actions/configure-aws-credentials@'))
      expect({ name, permissions: job.permissions }).toEqual({ name, permissions: mayAssumeRole ? undefined : {} })
    }
  })
})

describe('swarm-test', () => {
  const workflow = readWorkflow('.github/workflows/swarm-test.yml')
  const job = workflow.jobs['swarm-test']
  const step = (name: string) => job.steps.find((candidate) => candidate.name === name) as WorkflowStep

  it('runs the test command through the environment, with the swarm’s services, and diagnostics only after its own failure', () => {
    expect(step('Test').env).toEqual({ TEST_COMMAND: '${{ inputs.test-command }}', SWARM_SERVICES: '${{ steps.swarm.outputs.services }}' })
    expect(step('Test')['working-directory']).toBe('${{ inputs.working-directory }}')
    expect(step('Diagnostics')).toMatchObject({
      if: "failure() && steps.swarm.outcome == 'success'",
      with: { name: '${{ steps.swarm.outputs.name }}' }
    })
  })

  it('loads what it built and the images given, and tears down in the action’s post step (cleanup left on)', () => {
    const swarm = findStep(job, './.setup-swarm')!
    expect(swarm.with?.images).toBe('${{ steps.build.outputs.images }}\n${{ inputs.images }}\n')
    expect(swarm.with?.cleanup).toBeUndefined()
    expect(job['timeout-minutes' as keyof WorkflowJob]).toBe('${{ inputs.timeout-minutes }}')
  })
})

describe('the README’s failover job', () => {
  it('is what ci.yml’s failover job runs on GitHub first, with this checkout’s actions for your-org/setup-swarm@v1', () => {
    const readme = parseWorkflow(markdownWorkflow('README.md', '## Failover tests (fault)')).jobs.failover.steps
    const ci = readWorkflow('.github/workflows/ci.yml').jobs.failover.steps
    const local = (step: WorkflowStep) =>
      step.uses ? { ...step, uses: step.uses.replace(OWN_ACTIONS.published, (_, dir?: string) => (dir ? `./${dir}` : './')) } : step
    // After the checkout (pinned there) and the runner's check: the README's steps, then more faults.
    expect(ci[0].uses).toMatch(/^actions\/checkout@/)
    expect(ci[1].uses).toBe('./.github/actions/runner-check')
    expect(ci.slice(2, readme.length + 1)).toEqual(readme.slice(1).map(local))
  })
})

describe('pr-environment', () => {
  const workflow = readWorkflow('.github/workflows/pr-environment.yml')
  const { deploy, destroy, fork } = workflow.jobs

  it('keeps the environment named after the pull request, and destroys it by that name when the pull request closes', () => {
    const swarm = findStep(deploy, './.setup-swarm')!
    expect(swarm.with).toMatchObject({ name: 'pr-${{ github.event.pull_request.number }}', cleanup: false })
    expect(findStep(destroy, './.setup-swarm/destroy')!.with?.name).toBe(swarm.with?.name)
    expect(deploy.if).toContain("github.event.action != 'closed'")
    expect(destroy.if).toContain("github.event.action == 'closed'")
    expect(deploy.environment).toEqual({ name: 'pr-${{ github.event.pull_request.number }}', url: '${{ steps.comment.outputs.url }}' })
  })

  it('runs deploys and destroys of one pull request one at a time, cancelling none', () => {
    const group = 'setup-swarm-pr-${{ github.repository }}-${{ github.event.pull_request.number }}'
    for (const job of [deploy, destroy]) expect(job.concurrency).toEqual({ group, 'cancel-in-progress': false, queue: 'max' })
  })

  it('skips pull requests from forks, which get no secrets, saying so', () => {
    for (const job of [deploy, destroy]) expect(job.if).toContain('!github.event.pull_request.head.repo.fork')
    expect(fork.if).toBe('github.event.pull_request.head.repo.fork')
    expect(fork.steps[0].run).toContain('::notice::')
  })

  it('takes the CA and client certificate from secrets into files, and hands the action only their paths', () => {
    const swarm = findStep(deploy, './.setup-swarm')!
    for (const name of ['tls-ca-cert', 'tls-ca-key', 'tls-client-cert', 'tls-client-key']) {
      expect(swarm.with?.[name]).toBe(`\${{ steps.tls.outputs.${name} }}`)
      expect(workflowCall(workflow)!.secrets?.[name]).toEqual(expect.objectContaining({ required: true }))
    }
  })
})

describe('every workflow of the project', () => {
  it('pins every third-party action by a full commit SHA, with the release in a comment', () => {
    const uses = allWorkflows.flatMap(({ file, text }) =>
      [...text.matchAll(/uses: ([^\s#]+)(.*)$/gm)].map((match) => ({ file, action: match[1], comment: match[2] }))
    )
    const thirdParty = uses.filter(({ action }) => !action.startsWith('./'))
    expect(thirdParty.length).toBeGreaterThan(0)
    for (const use of thirdParty)
      expect(use).toEqual({ ...use, action: expect.stringMatching(/^[\w.-]+\/[\w./-]+@[0-9a-f]{40}$/), comment: expect.stringMatching(/^ # v\d/) })
  })

  it('grants the workflow token only contents: read, and more only to the job that needs it', () => {
    for (const file of ['ci.yml', 'release.yml']) {
      const workflow = parseYaml(allWorkflows.find((entry) => entry.file === file)!.text) as {
        permissions: unknown
        jobs: Record<string, { permissions?: unknown }>
      }
      expect(workflow.permissions).toEqual({ contents: 'read' })
    }
    const release = parseYaml(allWorkflows.find((entry) => entry.file === 'release.yml')!.text) as { jobs: Record<string, { permissions?: unknown }> }
    expect(release.jobs['move-major-tag'].permissions).toEqual({ contents: 'write' })
  })

  it('release: moves the major tag of a published release, after checking its dist/, with no dependency code beside the write token', () => {
    const release = parseYaml(allWorkflows.find((entry) => entry.file === 'release.yml')!.text) as {
      on: unknown
      jobs: Record<string, { needs?: string; permissions?: unknown; steps: WorkflowStep[] }>
    }
    expect(release.on).toEqual({ release: { types: ['published'] } })
    const runs = (job: string) => release.jobs[job].steps.map((step) => step.run ?? '').join('\n')
    const checkouts = (job: string) => release.jobs[job].steps.filter((step) => step.uses?.startsWith('actions/checkout@'))
    expect(runs('check-dist')).toContain('npm ci --ignore-scripts\n')
    expect(runs('check-dist')).toContain('git diff --exit-code -- dist/')
    expect(release.jobs['check-dist'].permissions).toBeUndefined()
    // The tag moves only after the check passed, to the commit it checked; that job runs no npm.
    expect(release.jobs['move-major-tag'].needs).toBe('check-dist')
    expect(runs('move-major-tag')).toContain('push --force origin "refs/tags/$major"')
    expect(runs('move-major-tag')).toContain('major="v${BASH_REMATCH[1]}"')
    expect(runs('move-major-tag')).not.toMatch(/\bnpm\b/)
    for (const job of ['check-dist', 'move-major-tag']) {
      expect(checkouts(job).length).toBe(1)
      for (const step of checkouts(job)) expect(step.with?.['persist-credentials']).toBe(false)
    }
  })
})
