import { rmSync } from 'node:fs'
import { ACTION_ENTRY, TEST_TMP } from './global-setup.js'
import { removeTestClusters } from './sweep.js'

export default async function globalTeardown() {
  for (const left of removeTestClusters(TEST_TMP, ACTION_ENTRY)) {
    console.log(`removed cluster ${left.name}, which its test left (post exit ${left.code})`)
  }
  rmSync(TEST_TMP, { recursive: true, force: true })
}
