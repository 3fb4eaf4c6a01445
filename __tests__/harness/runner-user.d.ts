export const RUNNER_USER: string
export function runnerUser(): { uid: number; gid: number } | undefined
export function ensureRunnerUser(): { uid: number; gid: number } | undefined
