import * as core from '@actions/core'

/** What a removal could not remove: each step is tried, a failure noted, and the next step still runs. */
export class Leftovers {
  readonly items: string[] = []

  async attempt(what: string, action: () => Promise<unknown>): Promise<void> {
    const started = Date.now()
    try {
      await action()
    } catch (error) {
      this.items.push(`${what}: ${(error as Error).message}`)
    } finally {
      core.debug(`removing ${what} took ${Date.now() - started} ms`)
    }
  }
}
