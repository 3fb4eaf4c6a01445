import type { UploadArtifactOptions } from '@actions/artifact'
import path from 'node:path'

// The one artifact of a collection. Its client is the boundary: tests hand in their own.

export interface ArtifactUploader {
  uploadArtifact(name: string, files: string[], rootDirectory: string, options?: UploadArtifactOptions): Promise<{ id?: number; size?: number }>
}

export type UploadResult = { uploaded: true; name: string; id?: number; size?: number } | { uploaded: false; name: string; reason: string }

export const UPLOAD_TIMEOUT_MS = 120_000
const RETENTION_DAYS = 7

/** Uploads the files (relative to `dir`) as one artifact; never throws: a failure is a reason. */
export async function uploadDiagnostics(
  dir: string,
  files: string[],
  name: string,
  uploader?: ArtifactUploader,
  timeoutMs = UPLOAD_TIMEOUT_MS
): Promise<UploadResult> {
  if (!uploader && !process.env.ACTIONS_RUNTIME_TOKEN) {
    return { uploaded: false, name, reason: 'not on a GitHub runner (no ACTIONS_RUNTIME_TOKEN), so no artifact' }
  }
  let timer: NodeJS.Timeout | undefined
  try {
    // Loaded only when needed: the artifact client is most of the bundle, and most runs never upload.
    const client = uploader ?? new (await import('@actions/artifact')).DefaultArtifactClient()
    const upload = client.uploadArtifact(
      name,
      files.map((file) => path.join(dir, file)),
      dir,
      { retentionDays: RETENTION_DAYS }
    )
    const late = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`the upload did not finish within ${timeoutMs / 1000} s`)), timeoutMs)
    })
    const response = await Promise.race([upload, late])
    return { uploaded: true, name, id: response.id, size: response.size }
  } catch (error) {
    return { uploaded: false, name, reason: (error as Error).message }
  } finally {
    clearTimeout(timer)
  }
}
