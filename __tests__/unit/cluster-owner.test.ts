import { describe, expect, it } from '@jest/globals'
import os from 'node:os'
import { checkOwner, currentOwner } from '../../src/state/owner.js'

// Whose a cluster is: the repository and runner user recorded when it was made, checked before a run
// reuses, destroys, diagnoses or removes it.

describe('a cluster’s owner', () => {
  const A = { repository: 'octo-org/a', user: 'runner' }

  it('is this run’s repository and the user running the action; without GITHUB_REPOSITORY nothing is made', () => {
    expect(currentOwner({ GITHUB_REPOSITORY: 'octo-org/a' })).toEqual({ repository: 'octo-org/a', user: os.userInfo().username })
    expect(() => currentOwner({})).toThrow(
      'GITHUB_REPOSITORY is not set: setup-swarm records which repository each cluster belongs to; run it in GitHub Actions, or set GITHUB_REPOSITORY=owner/name'
    )
    expect(() => currentOwner({ GITHUB_REPOSITORY: '../..' })).toThrow('"../.." is not a repository such as octo-org/app')
  })

  it('lets its own runs act on it, and refuses another repository’s or user’s run, saying whose it is and what to do', () => {
    expect(() => checkOwner('kept cluster "pr-5"', A, A)).not.toThrow()
    expect(() => checkOwner('kept cluster "pr-5"', A, { ...A, repository: 'octo-org/b' })).toThrow(
      'kept cluster "pr-5" belongs to repository octo-org/a, runner user runner, not to this run (repository octo-org/b, runner user runner): a cluster is used, destroyed and diagnosed only by its own repository\'s runs, as the runner user that made it; give this cluster another `name`, or run this in octo-org/a as runner'
    )
    expect(() => checkOwner('kept cluster "pr-5"', A, { ...A, user: 'root' })).toThrow(
      'belongs to repository octo-org/a, runner user runner, not to this run'
    )
  })

  it('refuses a cluster that records none: an older setup-swarm, or something else, made it', () => {
    expect(() => checkOwner('kept cluster "pr-5"', undefined, A)).toThrow('kept cluster "pr-5" records no repository it belongs to')
    expect(() => checkOwner('kept cluster "pr-5"', { repository: '', user: 'runner' }, A)).toThrow('records no repository it belongs to')
  })
})
