import * as core from '@actions/core'
import { existsSync } from 'node:fs'
import { findExecutable, run } from '../../tools/command.js'

/** What a Linux runner needs before VirtualBox VMs can start there. */
export function virtualBoxPreparation(has: { vboxManage: boolean; kvmModules: string[] }): Array<[string, string[]]> {
  const steps: Array<[string, string[]]> = []
  if (!has.vboxManage) {
    // sudo resets the environment: the frontend goes in through env.
    const aptGet = (...args: string[]): [string, string[]] => ['env', ['DEBIAN_FRONTEND=noninteractive', 'apt-get', ...args]]
    steps.push(aptGet('update', '-q'), aptGet('install', '-y', '-q', 'virtualbox'))
  }
  // VirtualBox cannot start a VM while KVM holds VT-x/AMD-V (VERR_VMX_IN_USE / VERR_SVM_IN_USE).
  if (has.kvmModules.length) steps.push(['modprobe', ['-r', ...has.kvmModules]])
  return steps
}

export async function prepareVirtualBox(): Promise<void> {
  if (process.platform !== 'linux') return
  // Only a loaded module has an initstate; a built-in kvm has its directory too.
  const kvmModules = ['kvm_intel', 'kvm_amd', 'kvm'].filter((name) => existsSync(`/sys/module/${name}/initstate`))
  for (const [command, args] of virtualBoxPreparation({ vboxManage: Boolean(findExecutable('VBoxManage')), kvmModules })) {
    core.info(`${command} ${args.join(' ')}`)
    await run(command, args, { privileged: true, timeoutMs: 15 * 60_000 })
  }
}
