export const IMAGE_TAR: string
export default function globalSetup(): Promise<void>
