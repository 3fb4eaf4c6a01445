export const TEST_TMP: string
export const IMAGE_TAR: string
export const ACTION_COPY: string
export const ACTION_ENTRY: string
export const ACTION_NODE: string
export const TEST_REPOSITORY: string
export default function globalSetup(): Promise<void>
