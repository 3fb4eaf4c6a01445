import { DescribeImagesCommand, type EC2Client, type Image } from '@aws-sdk/client-ec2'
import { hasCode } from './errors.js'

/** Canonical's AWS account: only its images are Ubuntu's own. */
export const CANONICAL_OWNER_ID = '099720109477'
export const UBUNTU_RELEASE = { codename: 'noble', version: '24.04' }

export type Architecture = 'x86_64' | 'arm64'

/**
 * The CPU of an instance type: Graviton families carry a `g` right after their generation
 * (t4g, m7g, c6gn, x2gd, im4gn), and a1 is the first Graviton.
 */
export function architectureOf(instanceType: string): Architecture {
  const family = instanceType.trim().toLowerCase().split('.')[0] ?? ''
  return family === 'a1' || /^[a-z]+\d+g/.test(family) ? 'arm64' : 'x86_64'
}

/** Canonical's image names: `ubuntu/images/hvm-ssd-gp3/ubuntu-noble-24.04-amd64-server-20240701`. */
export function ubuntuImageNames(architecture: Architecture): string[] {
  const arch = architecture === 'arm64' ? 'arm64' : 'amd64'
  const { codename, version } = UBUNTU_RELEASE
  return ['hvm-ssd-gp3', 'hvm-ssd'].map((volume) => `ubuntu/images/${volume}/ubuntu-${codename}-${version}-${arch}-server-*`)
}

export interface UbuntuImage {
  imageId: string
  name: string
  architecture: Architecture
  created: string
  /** Where the image's root volume is attached (`/dev/sda1` for Ubuntu's, `/dev/xvda` for others). */
  rootDeviceName: string
}

/** The newest Ubuntu LTS server image of Canonical in the client's region, for `instanceType`'s CPU; `amiOption` gives one instead. */
export async function findUbuntuImage(client: EC2Client, region: string, instanceType: string, amiOption = '--amazonec2-ami'): Promise<UbuntuImage> {
  const architecture = architectureOf(instanceType)
  const images: Image[] = []
  let nextToken: string | undefined
  do {
    const page = await client.send(
      new DescribeImagesCommand({
        Owners: [CANONICAL_OWNER_ID],
        Filters: [
          { Name: 'name', Values: ubuntuImageNames(architecture) },
          { Name: 'architecture', Values: [architecture] },
          { Name: 'state', Values: ['available'] },
          { Name: 'root-device-type', Values: ['ebs'] },
          { Name: 'virtualization-type', Values: ['hvm'] }
        ],
        NextToken: nextToken
      })
    )
    images.push(...(page.Images ?? []))
    nextToken = page.NextToken
  } while (nextToken)
  // CreationDate is ISO-8601: the newest sorts last as text.
  const newest = images.filter((image) => image.ImageId && image.CreationDate).sort((a, b) => a.CreationDate!.localeCompare(b.CreationDate!))
  const image = newest.at(-1)
  if (!image) {
    throw new Error(
      `no Ubuntu ${UBUNTU_RELEASE.version} ${architecture} image of Canonical (owner ${CANONICAL_OWNER_ID}) in ${region}; ` +
        `give an AMI explicitly with ${amiOption}`
    )
  }
  return {
    imageId: image.ImageId!,
    name: image.Name ?? '',
    architecture,
    created: image.CreationDate!,
    rootDeviceName: image.RootDeviceName ?? '/dev/sda1'
  }
}

/** The root device of an AMI the user gave; fails naming the option when EC2 does not know the AMI here. */
export async function imageRootDevice(client: EC2Client, region: string, imageId: string, amiOption: string): Promise<string> {
  const answer = await client.send(new DescribeImagesCommand({ ImageIds: [imageId] })).catch((error: unknown) => {
    if (hasCode(error, 'InvalidAMIID.NotFound', 'InvalidAMIID.Malformed', 'InvalidAMIID.Unavailable')) return { Images: [] }
    throw error
  })
  const image = answer.Images?.[0]
  if (!image?.RootDeviceName) throw new Error(`${amiOption} ${imageId}: no such AMI in ${region} (or it is not shared with this account)`)
  return image.RootDeviceName
}
