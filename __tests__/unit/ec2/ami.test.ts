import { DescribeImagesCommand } from '@aws-sdk/client-ec2'
import { describe, expect, it } from '@jest/globals'
import { ec2Error, mockEc2 } from './helpers.js'
import { architectureOf, findUbuntuImage, imageRootDevice } from '../../../src/drivers/ec2/ami.js'

const { ec2, client } = mockEc2()

describe('architectureOf', () => {
  it.each([
    ['t3.small', 'x86_64'],
    ['m7i-flex.large', 'x86_64'],
    ['g4dn.xlarge', 'x86_64'],
    ['c5ad.large', 'x86_64'],
    ['t4g.small', 'arm64'],
    ['m7gd.large', 'arm64'],
    ['c6gn.medium', 'arm64'],
    ['x2gd.large', 'arm64'],
    ['im4gn.large', 'arm64'],
    ['a1.medium', 'arm64']
  ])('%s runs %s', (instanceType, architecture) => {
    expect(architectureOf(instanceType)).toBe(architecture)
  })
})

describe('findUbuntuImage', () => {
  it("asks for Canonical's Ubuntu 24.04 server images of the CPU and takes the newest, over all pages", async () => {
    ec2
      .on(DescribeImagesCommand)
      .resolvesOnce({
        Images: [
          { ImageId: 'ami-old', Name: 'ubuntu/images/hvm-ssd/ubuntu-noble-24.04-arm64-server-20240423', CreationDate: '2024-04-23T10:00:00.000Z' },
          { ImageId: 'ami-new', Name: 'ubuntu/images/hvm-ssd-gp3/ubuntu-noble-24.04-arm64-server-20250610', CreationDate: '2025-06-10T08:00:00.000Z' }
        ],
        NextToken: 'more'
      })
      .resolvesOnce({
        Images: [
          { ImageId: 'ami-mid', Name: 'ubuntu/images/hvm-ssd-gp3/ubuntu-noble-24.04-arm64-server-20250101', CreationDate: '2025-01-01T00:00:00.000Z' }
        ]
      })
    expect(await findUbuntuImage(client, 'eu-west-1', 't4g.small')).toEqual({
      imageId: 'ami-new',
      name: 'ubuntu/images/hvm-ssd-gp3/ubuntu-noble-24.04-arm64-server-20250610',
      architecture: 'arm64',
      created: '2025-06-10T08:00:00.000Z',
      // Not in the answer: Ubuntu's images attach their root there.
      rootDeviceName: '/dev/sda1'
    })
    const inputs = ec2.commandCalls(DescribeImagesCommand).map((call) => call.args[0].input)
    expect(inputs[0]).toEqual({
      Owners: ['099720109477'],
      Filters: [
        {
          Name: 'name',
          Values: ['ubuntu/images/hvm-ssd-gp3/ubuntu-noble-24.04-arm64-server-*', 'ubuntu/images/hvm-ssd/ubuntu-noble-24.04-arm64-server-*']
        },
        { Name: 'architecture', Values: ['arm64'] },
        { Name: 'state', Values: ['available'] },
        { Name: 'root-device-type', Values: ['ebs'] },
        { Name: 'virtualization-type', Values: ['hvm'] }
      ],
      NextToken: undefined
    })
    expect(inputs[1].NextToken).toBe('more')
  })

  it('says so clearly when the region has none', async () => {
    ec2.on(DescribeImagesCommand).resolves({ Images: [] })
    await expect(findUbuntuImage(client, 'eu-west-1', 't3.small')).rejects.toThrow(
      'no Ubuntu 24.04 x86_64 image of Canonical (owner 099720109477) in eu-west-1; give an AMI explicitly with --amazonec2-ami'
    )
    expect(ec2.commandCalls(DescribeImagesCommand)[0].args[0].input.Filters![0].Values).toEqual([
      'ubuntu/images/hvm-ssd-gp3/ubuntu-noble-24.04-amd64-server-*',
      'ubuntu/images/hvm-ssd/ubuntu-noble-24.04-amd64-server-*'
    ])
  })
})

describe('imageRootDevice', () => {
  it('is where the AMI the user gave attaches its root, and a clear error naming the option when EC2 does not know it', async () => {
    ec2
      .on(DescribeImagesCommand, { ImageIds: ['ami-0deb1a000000000aa'] })
      .resolves({ Images: [{ ImageId: 'ami-0deb1a000000000aa', RootDeviceName: '/dev/xvda' }] })
    ec2.on(DescribeImagesCommand, { ImageIds: ['ami-0gone0000000000aa'] }).rejects(ec2Error('InvalidAMIID.NotFound'))
    expect(await imageRootDevice(client, 'eu-west-1', 'ami-0deb1a000000000aa', '--ami')).toBe('/dev/xvda')
    await expect(imageRootDevice(client, 'eu-west-1', 'ami-0gone0000000000aa', '--ami')).rejects.toThrow(
      '--ami ami-0gone0000000000aa: no such AMI in eu-west-1 (or it is not shared with this account)'
    )
  })
})
