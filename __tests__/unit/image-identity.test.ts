import { imageIdentity, type ImageInspect } from '../../src/engine/image-identity.js'

// The same image as Docker 28 reports it from the containerd store (ID: the manifest's digest) and
// from the graph driver's store after `docker save` | `docker load` (ID: the config's digest), and
// as Docker 20.10 reports it (every config field listed, empty or not).
const layers = [
  'sha256:62b289d313408af02f58662bca59c420256a7e460baaf0e02b10afa243cbe9a0',
  'sha256:a33409db27e00ca1fffbdd3d253c56b4811d5d62a976a8dadae05b5e3db506ea'
]
const config = {
  User: '1:1',
  ExposedPorts: { '80/tcp': {} },
  Env: ['PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin', 'A=1'],
  Cmd: ['sh'],
  WorkingDir: '/w',
  Labels: { x: 'y' }
}
const containerdStore: ImageInspect = {
  Id: 'sha256:553849a061f2f3c4ae1e1ed2c1bebad840ba710aaf0c0d8f5a73531a5f433e54',
  Created: '2026-12-06T04:11:26.573575192Z',
  Os: 'linux',
  Architecture: 'amd64',
  RootFS: { Layers: layers },
  Config: config
}
const graphStore: ImageInspect = { ...containerdStore, Id: 'sha256:f998f9d3f8cf6dee813566b78c47f2a32e9be5e90be5786ffec77d9a78587070', Variant: '' }
const olderEngine: ImageInspect = {
  ...graphStore,
  Config: {
    Hostname: '',
    Domainname: '',
    AttachStdin: false,
    Tty: false,
    OnBuild: null,
    Entrypoint: null,
    Image: 'sha256:0000000000000000000000000000000000000000000000000000000000000000',
    Volumes: null,
    // The same keys in another order.
    Labels: { x: 'y' },
    WorkingDir: '/w',
    Cmd: ['sh'],
    Env: config.Env,
    ExposedPorts: { '80/tcp': {} },
    User: '1:1'
  }
}

describe('image identity', () => {
  it('is the same for one image in the containerd store, the graph driver store and an older engine', () => {
    expect(imageIdentity(graphStore)).toBe(imageIdentity(containerdStore))
    expect(imageIdentity(olderEngine)).toBe(imageIdentity(containerdStore))
    expect(imageIdentity(containerdStore)).toMatch(/^identity:[0-9a-f]{64}$/)
  })

  it.each([
    ['a layer', { RootFS: { Layers: [layers[0]] } }],
    ['the layers’ order', { RootFS: { Layers: [...layers].reverse() } }],
    ['an environment variable', { Config: { ...config, Env: [...config.Env, 'B=2'] } }],
    ['the command', { Config: { ...config, Cmd: ['httpd'] } }],
    ['the platform', { Architecture: 'arm64' }],
    ['the variant', { Variant: 'v8' }],
    ['the creation time', { Created: '2026-12-06T04:11:27Z' }]
  ])('differs when %s differs', (_, change) => {
    expect(imageIdentity({ ...containerdStore, ...change })).not.toBe(imageIdentity(containerdStore))
  })
})
