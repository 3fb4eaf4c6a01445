export const RUNNER_USER: string
export function userIds(name: string): { uid: number; gid: number } | undefined
export function ensureUser(name: string): { uid: number; gid: number } | undefined
export function runnerUser(): { uid: number; gid: number } | undefined
export function ensureRunnerUser(): { uid: number; gid: number } | undefined
