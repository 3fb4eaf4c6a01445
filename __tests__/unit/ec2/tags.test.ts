import { describe, expect, it } from '@jest/globals'
import {
  clusterFilters,
  clusterLabels,
  clusterTags,
  isExpired,
  machineTagsOption,
  repositoryFilters,
  tagSpecifications,
  tagValue
} from '../../../src/drivers/ec2/tags.js'
import { LABELS } from './helpers.js'

const RUN_ENV = { GITHUB_REPOSITORY: 'octo/app', GITHUB_RUN_ID: '42', GITHUB_RUN_ATTEMPT: '1' }

describe('cluster tags', () => {
  it('names the cluster, repository, run and expiry (now + ttl, ISO-8601 UTC)', () => {
    const labels = clusterLabels('ci', 3600, RUN_ENV, new Date('2025-06-01T10:00:00.250Z'))
    expect(labels).toEqual({ cluster: 'ci', repository: 'octo/app', run: '42-1', expires: '2025-06-01T11:00:00Z' })
    expect(clusterLabels('ci', 60, { GITHUB_REPOSITORY: 'octo/app' }).run).toBe('local-1')
  })

  it('refuses a cluster without a repository, and a ttl that is not a positive whole number', () => {
    expect(() => clusterLabels('ci', 60, {})).toThrow('GITHUB_REPOSITORY is not set')
    expect(() => clusterLabels('ci', 0, RUN_ENV)).toThrow('ttl: 0 is not a positive number of seconds')
    expect(() => clusterLabels('ci', 1.5, RUN_ENV)).toThrow('ttl: 1.5')
  })

  it('builds the tags and the TagSpecifications of a create call, Name first', () => {
    const tags = [
      { Key: 'Name', Value: 'setup-swarm-ci' },
      { Key: 'setup-swarm:cluster', Value: 'ci' },
      { Key: 'setup-swarm:repository', Value: 'octo/app' },
      { Key: 'setup-swarm:run', Value: '42-1' },
      { Key: 'setup-swarm:expires', Value: '2030-01-01T00:00:00Z' }
    ]
    expect(clusterTags(LABELS, 'setup-swarm-ci')).toEqual(tags)
    expect(tagSpecifications(LABELS, 'setup-swarm-ci', 'security-group', 'key-pair')).toEqual([
      { ResourceType: 'security-group', Tags: tags },
      { ResourceType: 'key-pair', Tags: tags }
    ])
  })

  it("gives docker-machine's --amazonec2-tags as key,value pairs without Name, which the driver sets itself", () => {
    const option = machineTagsOption(LABELS)
    expect(option).toBe('setup-swarm:cluster,ci,setup-swarm:repository,octo/app,setup-swarm:run,42-1,setup-swarm:expires,2030-01-01T00:00:00Z')
    // Read back as the driver does (configureTags): split on every comma, then pairs.
    const parts = option.split(',')
    const pairs = Object.fromEntries(parts.flatMap((_, i) => (i % 2 ? [] : [[parts[i], parts[i + 1]]])))
    expect(pairs).toEqual({
      'setup-swarm:cluster': 'ci',
      'setup-swarm:repository': 'octo/app',
      'setup-swarm:run': '42-1',
      'setup-swarm:expires': LABELS.expires
    })
    expect(() => machineTagsOption({ ...LABELS, repository: 'a,b' })).toThrow('tag setup-swarm:repository: "a,b" holds a comma')
  })

  it('filters by cluster (and repository when given), or by repository', () => {
    expect(clusterFilters('ci')).toEqual([{ Name: 'tag:setup-swarm:cluster', Values: ['ci'] }])
    expect(clusterFilters('ci', 'octo/app')).toEqual([
      { Name: 'tag:setup-swarm:cluster', Values: ['ci'] },
      { Name: 'tag:setup-swarm:repository', Values: ['octo/app'] }
    ])
    expect(repositoryFilters('octo/app')).toEqual([{ Name: 'tag:setup-swarm:repository', Values: ['octo/app'] }])
  })

  it("narrows to one run's resources for post, so a same-named cluster of another run is never its own", () => {
    expect(clusterFilters('ci', 'octo/app', '42-1')).toEqual([
      { Name: 'tag:setup-swarm:cluster', Values: ['ci'] },
      { Name: 'tag:setup-swarm:repository', Values: ['octo/app'] },
      { Name: 'tag:setup-swarm:run', Values: ['42-1'] }
    ])
  })

  it('reads a tag, and tells an expired resource from one without a readable expiry', () => {
    const tags = clusterTags(LABELS, 'n')
    expect(tagValue(tags, 'setup-swarm:run')).toBe('42-1')
    expect(tagValue(undefined, 'Name')).toBeUndefined()
    expect(isExpired(tags, new Date('2030-01-01T00:00:01Z'))).toBe(true)
    expect(isExpired(tags, new Date('2029-12-31T23:59:59Z'))).toBe(false)
    expect(isExpired([{ Key: 'setup-swarm:expires', Value: 'soon' }], new Date())).toBe(false)
    expect(isExpired([], new Date())).toBe(false)
  })
})
