// Image references as Docker normalises them, so that two spellings of one image compare equal and
// containerd (which keeps full names) can be asked for it.

/**
 * The reference's full form: `app` is `docker.io/library/app:latest`, `ghcr.io/o/app:1` stays, a
 * reference by digest gets no tag, an image ID (`sha256:…`) stays as it is.
 */
export function fullReference(reference: string): string {
  if (reference.startsWith('sha256:')) return reference
  const slash = reference.indexOf('/')
  const first = slash < 0 ? '' : reference.slice(0, slash)
  const hasDomain = first.includes('.') || first.includes(':') || first === 'localhost'
  const [given, path] = hasDomain ? [first, reference.slice(slash + 1)] : ['docker.io', reference]
  const domain = given === 'index.docker.io' ? 'docker.io' : given
  const name = `${domain}/${domain === 'docker.io' && !path.includes('/') ? 'library/' : ''}${path}`
  return /[:@]/.test(name.slice(name.lastIndexOf('/') + 1)) ? name : `${name}:latest`
}
