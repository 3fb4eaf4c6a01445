import { sleep, type Deadline } from '../../tools/wait.js'

/** How long and how often to try again; `sleep` is injectable so tests run in milliseconds. */
export interface Pace {
  deadline: Deadline
  intervalMs?: number
  sleep?: (ms: number) => Promise<void>
}

const DEFAULT_INTERVAL_MS = 5000

async function pause(pace: Pace): Promise<void> {
  await (pace.sleep ?? sleep)(Math.min(pace.intervalMs ?? DEFAULT_INTERVAL_MS, pace.deadline.remainingMs()))
}

/**
 * Calls `attempt` until it succeeds, throws an error `retryable` refuses, or the deadline
 * passes; then the last error is thrown. The first attempt always runs.
 */
export async function retryWhile<T>(retryable: (error: unknown) => boolean, pace: Pace, attempt: () => Promise<T>): Promise<T> {
  for (;;) {
    try {
      return await attempt()
    } catch (error) {
      if (!retryable(error) || pace.deadline.expired()) throw error
    }
    await pause(pace)
  }
}

/** Calls `check` until it returns true (then true) or the deadline passes (then false). */
export async function waitUntil(pace: Pace, check: () => Promise<boolean>): Promise<boolean> {
  for (;;) {
    if (await check()) return true
    if (pace.deadline.expired()) return false
    await pause(pace)
  }
}
