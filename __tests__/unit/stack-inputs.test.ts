import { describe, expect, it } from '@jest/globals'
import { defaultStackName, parseInputs } from '../../src/inputs/index.js'
import { fullReference } from '../../src/engine/reference.js'
import { pinnedImages } from '../../src/workload/stack.js'

const parse = (values: Record<string, string> = {}) => parseInputs((name) => values[name] ?? '')

describe('inputs images, stack, stack-name, diagnostics', () => {
  it('default to no images, no stack, and diagnostics on', () => {
    expect(parse()).toMatchObject({ images: [], stack: undefined, diagnostics: true })
  })

  it('take images one per line, without blanks, comments and repeats', () => {
    const inputs = parse({
      images: 'myapp:ci\n\n  # the worker\nghcr.io/org/worker:1.2\nlocalhost:5000/a/b@sha256:' + 'a'.repeat(64) + '\nmyapp:ci\n'
    })
    expect(inputs.images).toEqual(['myapp:ci', 'ghcr.io/org/worker:1.2', `localhost:5000/a/b@sha256:${'a'.repeat(64)}`])
  })

  it.each(['My App', 'app:', 'MyApp:1'])('name `images` for a line that is no reference: %s', (image) => {
    expect(() => parse({ images: image })).toThrow(/^input `images`: ".*" is not an image reference/)
  })

  it('take compose files one per line, the stack named after the first one’s directory by default', () => {
    expect(parse({ stack: 'deploy/My_App.v2/stack.yml\ndeploy/override.yml' }).stack).toEqual({
      files: ['deploy/My_App.v2/stack.yml', 'deploy/override.yml'],
      name: 'my_app-v2'
    })
    expect(parse({ stack: 'stack.yml', 'stack-name': 'shop' }).stack).toEqual({ files: ['stack.yml'], name: 'shop' })
  })

  it('name `stack-name` when it is no stack name, or names a stack that is not there', () => {
    expect(() => parse({ stack: 'stack.yml', 'stack-name': 'my stack' })).toThrow(/^input `stack-name`: "my stack" is not a stack name/)
    expect(() => parse({ 'stack-name': 'shop' })).toThrow(/^input `stack-name` names the stack of the `stack` input, which is empty/)
  })

  it('name `diagnostics` when it is not a boolean', () => {
    expect(() => parse({ diagnostics: 'sometimes' })).toThrow(/^input `diagnostics`: "sometimes" is not a boolean/)
    expect(parse({ diagnostics: 'false' }).diagnostics).toBe(false)
  })

  it('name a stack "stack" when the directory gives no usable name', () => {
    expect(defaultStackName('/___/stack.yml')).toBe('stack')
  })
})

describe('images pinned by ID in the stack', () => {
  const images = [
    { reference: 'myapp', id: 'sha256:1111', identity: 'identity:1' },
    { reference: 'ghcr.io/org/worker:1.2', id: 'sha256:2222', identity: 'identity:2' }
  ]

  it('are the services whose image the action loads, however the reference is spelled', () => {
    const services = {
      web: { image: 'docker.io/library/myapp:latest' },
      worker: { image: 'ghcr.io/org/worker:1.2' },
      db: { image: 'postgres:16' },
      other: { image: 'myapp:2' },
      built: {}
    }
    // Each to its image's reference in `images`: the ID it runs by is the one the nodes hold it under.
    expect(pinnedImages(services, images)).toEqual({ web: 'myapp', worker: 'ghcr.io/org/worker:1.2' })
  })

  it('normalize references as docker does: Docker Hub library names, an implicit :latest', () => {
    expect(fullReference('myapp')).toBe('docker.io/library/myapp:latest')
    expect(fullReference('index.docker.io/library/myapp')).toBe('docker.io/library/myapp:latest')
    expect(fullReference('docker.io/org/app:1')).toBe('docker.io/org/app:1')
    expect(fullReference('localhost:5000/app')).toBe('localhost:5000/app:latest')
    expect(fullReference('app@sha256:abc')).toBe('docker.io/library/app@sha256:abc')
    expect(fullReference('sha256:abc')).toBe('sha256:abc')
  })
})
