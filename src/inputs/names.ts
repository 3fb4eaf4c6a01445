// Inputs that become a path or the name of something (a cluster's directory, a node's directory
// and machine, a driver's program, the tool cache's entry, a tag, a stack, an image): every
// action's entry (main, destroy, diagnose, sweep, build, and any later one) checks them here before
// it creates or removes anything. A name that becomes a path has no '/' and is never '.' or '..',
// so it cannot lead out of its place. Each error names the input and says what it takes.

// docker-machine's own rule for machine names (libmachine/host.ValidateHostName): it starts with a
// letter or digit, so it is never '.', '..', '/…' or empty, and it has no '/'.
const MACHINE_NAME = /^[a-zA-Z0-9][a-zA-Z0-9\-.]*$/
const MAX_CLUSTER_NAME_LENGTH = 40
const DRIVER_NAME = /^[a-zA-Z0-9][a-zA-Z0-9_.-]{0,63}$/
// A release tag such as v0.16.2, v0.16.2-gitlab.59 or v0.17.0-rc.1: dot-separated words, no '/'.
const MACHINE_VERSION = /^v?\d+\.\d+\.\d+(-[0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*)?$/
const STACK_NAME = /^[a-zA-Z0-9][a-zA-Z0-9_-]{0,62}$/
// GitHub's rules for an owner and a repository name.
const REPOSITORY = /^[A-Za-z0-9][A-Za-z0-9-]{0,38}\/[A-Za-z0-9._-]{1,100}$/
// docker's reference grammar, loosely: name components, optional :tag, optional @digest; or an ID.
const IMAGE_REFERENCE =
  /^(?:[a-zA-Z0-9][a-zA-Z0-9._-]*(?::[0-9]+)?\/)*[a-z0-9]+(?:[._-]+[a-z0-9]+)*(?::[\w][\w.-]{0,127})?(?:@sha256:[a-f0-9]{64})?$|^(?:sha256:)?[a-f0-9]{12,64}$/

/** A node's name: its machine, its hostname, and its directory under the cluster's. */
export function checkMachineName(value: string, inputName: string): string {
  if (!MACHINE_NAME.test(value)) {
    throw new Error(
      `input \`${inputName}\`: "${value}" is not a valid machine name; use letters, digits, '-' and '.', starting with a letter or digit`
    )
  }
  return value
}

/** A cluster's name: its directory under the clusters' root, and the prefix of its nodes' names. */
export function checkClusterName(value: string, inputName = 'name'): string {
  if (!MACHINE_NAME.test(value) || value.length > MAX_CLUSTER_NAME_LENGTH) {
    throw new Error(
      `input \`${inputName}\`: "${value}" is not a cluster name; use letters, digits, '-' and '.', starting with a letter or digit, at most ${MAX_CLUSTER_NAME_LENGTH} characters`
    )
  }
  return value
}

/** `local`, or a docker-machine driver, whose plugin is the program `docker-machine-driver-<name>`. */
export function checkDriverName(value: string, inputName = 'driver'): string {
  if (!DRIVER_NAME.test(value)) {
    throw new Error(
      `input \`${inputName}\`: "${value}" is not a driver name; use \`local\` or a docker-machine driver such as \`virtualbox\`, \`amazonec2\`, \`generic\`, \`none\``
    )
  }
  return value
}

/** A docker-machine release: part of its download URL and of its tool cache directory, which tool-cache deletes before it fills it. */
export function checkMachineVersion(value: string, inputName = 'machine-version'): string {
  if (!MACHINE_VERSION.test(value)) {
    throw new Error(`input \`${inputName}\`: "${value}" is not a docker-machine release such as v0.16.2-gitlab.59 or v0.16.2`)
  }
  return value
}

/** owner/name of a GitHub repository, as its clusters' tags carry it. */
export function checkRepository(value: string, inputName = 'repository'): string {
  if (!REPOSITORY.test(value) || /\/\.\.?$/.test(value)) {
    throw new Error(`input \`${inputName}\`: "${value}" is not a repository such as octo-org/app`)
  }
  return value
}

/** A stack's name, the prefix of its services', networks' and configs' names. */
export function checkStackName(value: string, inputName = 'stack-name'): string {
  if (!STACK_NAME.test(value)) {
    throw new Error(`input \`${inputName}\`: "${value}" is not a stack name; use letters, digits, '-' and '_', starting with a letter or digit`)
  }
  return value
}

/** An image's name on an engine (a tag, a name with a digest, or an ID). */
export function checkImageReference(value: string, inputName: string): string {
  if (!IMAGE_REFERENCE.test(value)) throw new Error(`input \`${inputName}\`: "${value}" is not an image reference such as \`myapp:ci\``)
  return value
}
