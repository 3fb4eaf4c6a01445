// What every benchmark sets up first, on import, before it loads the test harness: the number of
// runs (BENCH_RUNS, default 3) and a private TMPDIR. The harness keeps its jobs in
// <tmpdir>/setup-swarm-tests, which a test run starting meanwhile wipes, and fixes that directory
// when it loads: so each benchmark imports this module statically and the harness dynamically.
import { chmodSync, mkdtempSync, rmSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'

export const RUNS = Number(process.env.BENCH_RUNS ?? 3)
if (!Number.isInteger(RUNS) || RUNS < 1) throw new Error(`BENCH_RUNS must be a whole number >= 1, not ${process.env.BENCH_RUNS}`)

export const BENCH_TMP = mkdtempSync(path.join(os.tmpdir(), 'setup-swarm-bench-'))
// The action runs as the runner user, as on GitHub: it must reach its job's files.
chmodSync(BENCH_TMP, 0o755)
process.env.TMPDIR = BENCH_TMP
// Its jobs' files hold join tokens and keys; 'exit' also comes after an uncaught error.
process.on('exit', () => rmSync(BENCH_TMP, { recursive: true, force: true }))
