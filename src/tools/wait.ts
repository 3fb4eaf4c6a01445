import * as core from '@actions/core'

/** A point in time that bounds every wait of one phase. */
export class Deadline {
  readonly at: number
  constructor(
    seconds: number,
    readonly what: string
  ) {
    this.at = Date.now() + seconds * 1000
  }
  remainingMs(): number {
    return Math.max(0, this.at - Date.now())
  }
  expired(): boolean {
    return this.remainingMs() === 0
  }
}

/** Thrown by a check: stop waiting now, this will not get better. */
export class GiveUp extends Error {}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms))

export interface PollOptions {
  intervalMs?: number
  /** How often a progress line is printed while waiting. */
  progressEveryMs?: number
  /** What is still missing, for progress lines and the timeout message. */
  describe?: () => string
}

/**
 * Calls `check` until it returns true or the deadline passes. A check that throws counts
 * as "not yet"; its last error is part of the timeout message.
 */
export async function pollUntil(deadline: Deadline, what: string, check: () => Promise<boolean>, options: PollOptions = {}): Promise<void> {
  const started = Date.now()
  const intervalMs = options.intervalMs ?? 100
  const progressEveryMs = options.progressEveryMs ?? 5000
  let nextProgress = started + progressEveryMs
  let lastError = ''
  for (;;) {
    try {
      if (await check()) return
    } catch (error) {
      if (error instanceof GiveUp) throw error
      lastError = error instanceof Error ? error.message : String(error)
    }
    const now = Date.now()
    if (deadline.expired()) {
      const state = options.describe?.() ?? lastError
      throw new Error(
        `timed out after ${Math.round((now - started) / 1000)} s waiting for ${what}` +
          `${state ? ` (${state})` : ''}; the bound is the \`timeout\` input (${deadline.what}): raise it if the nodes need longer`
      )
    }
    if (now >= nextProgress) {
      core.info(`still waiting for ${what} after ${Math.round((now - started) / 1000)} s${options.describe ? `: ${options.describe()}` : ''}`)
      nextProgress = now + progressEveryMs
    }
    await sleep(Math.min(intervalMs, deadline.remainingMs()))
  }
}

/**
 * Waits for every promise, even after one failed (nothing is left running), then throws the first
 * failure in the given order: the one the user fixes first.
 */
export async function allSettledInOrder<T extends unknown[]>(promises: [...{ [K in keyof T]: Promise<T[K]> }]): Promise<T> {
  const results = await Promise.allSettled(promises as Promise<unknown>[])
  for (const result of results) if (result.status === 'rejected') throw result.reason
  return results.map((result) => (result as PromiseFulfilledResult<unknown>).value) as T
}
