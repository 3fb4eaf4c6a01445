import * as core from '@actions/core'
import { randomBytes } from 'node:crypto'
import os from 'node:os'
import path from 'node:path'
import type { Driver } from '../drivers/driver.js'
import { clientCertDir } from '../engine/tls.js'
import { clusterPaths } from '../state/cluster.js'
import type { ClusterRecord } from '../state/record.js'
import { collectDiagnostics, DEFAULT_LIMITS, type Collected, type CollectLimits } from './collect.js'
import { uploadDiagnostics, type ArtifactUploader, type UploadResult } from './upload.js'

// Diagnostics of a cluster: collected (bounded), uploaded as one artifact, summed up in the job
// summary. Used by main when it fails after nodes exist, and by the diagnose action after a later
// step failed. It never fails the job by itself: anything that goes wrong is a warning.

export interface DiagnosticsOptions {
  /** Why they are collected, for the summary: "main failed: …", "a step of the job failed". */
  reason: string
  artifactName?: string
  secrets?: string[]
  uploader?: ArtifactUploader
  limits?: CollectLimits
}

export interface DiagnosticsResult {
  collected: Collected
  upload: UploadResult
}

export async function runDiagnostics(record: ClusterRecord, driver: Driver, options: DiagnosticsOptions): Promise<DiagnosticsResult | undefined> {
  try {
    return await core.group(`Collecting diagnostics of swarm ${record.name}`, async () => {
      const dir = path.join(process.env.RUNNER_TEMP || os.tmpdir(), 'setup-swarm-diagnostics', `${record.name}-${stamp()}`)
      const started = Date.now()
      const collected = await collectDiagnostics(
        {
          record,
          client: clientCertDir(clusterPaths(record.state.dir).clientCerts),
          engineLog: driver.engineLog ? (node, limits) => driver.engineLog!(record.state, node, limits) : undefined,
          secrets: options.secrets
        },
        dir,
        options.limits ?? DEFAULT_LIMITS
      )
      core.info(
        `collected ${collected.files.length} file(s), ${(collected.bytes / 1e6).toFixed(2)} MB, in ${((Date.now() - started) / 1000).toFixed(1)} s: ${dir}`
      )
      const upload = await uploadDiagnostics(dir, collected.files, options.artifactName || defaultArtifactName(record.name), options.uploader)
      if (upload.uploaded) core.info(`uploaded artifact ${upload.name}${upload.size ? ` (${upload.size} bytes)` : ''}`)
      else core.warning(`the diagnostics of swarm ${record.name} were not uploaded (${upload.reason}); they are in ${dir}`)
      if (collected.problems.length) core.warning(`some diagnostics of swarm ${record.name} are missing:\n- ${collected.problems.join('\n- ')}`)
      await writeDiagnosticsSummary(record, options.reason, collected, upload)
      core.setOutput('diagnostics-path', dir)
      return { collected, upload }
    })
  } catch (error) {
    core.warning(`could not collect the diagnostics of swarm ${record.name}: ${(error as Error).message}`)
    return undefined
  }
}

/** Unique in a run: a matrix may give every job's cluster the same name. */
const defaultArtifactName = (name: string): string => `setup-swarm-${name}-diagnostics-${randomBytes(3).toString('hex')}`

const stamp = (): string => new Date().toISOString().replace(/[:.]/g, '-')

async function writeDiagnosticsSummary(record: ClusterRecord, reason: string, collected: Collected, upload: UploadResult): Promise<void> {
  if (!process.env.GITHUB_STEP_SUMMARY) return
  const summary = core.summary
    .addHeading(`Diagnostics of swarm ${record.name}`, 3)
    .addRaw(`${reason}. `)
    .addRaw(
      upload.uploaded
        ? `Artifact <code>${upload.name}</code>: ${collected.files.length} files.`
        : `Not uploaded (${upload.reason}); ${collected.files.length} files in <code>${collected.dir}</code>.`,
      true
    )
  if (collected.services.length) {
    summary.addTable([
      [
        { data: 'Service', header: true },
        { data: 'Mode', header: true },
        { data: 'Replicas', header: true }
      ],
      ...collected.services.map((service) => [service.name, service.mode, service.replicas])
    ])
  }
  if (collected.nodeList) summary.addDetails('docker node ls', `<pre>${escapeHtml(collected.nodeList.trim())}</pre>`)
  if (collected.problems.length) summary.addRaw('Missing:', true).addList(collected.problems.map(escapeHtml))
  await summary.write().catch((error: Error) => core.warning(`could not write the job summary: ${error.message}`))
}

const escapeHtml = (text: string): string => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')
