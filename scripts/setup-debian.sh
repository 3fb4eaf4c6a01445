#!/usr/bin/env bash
# Everything this project needs on a fresh Debian machine, as root: Docker's engine and the
# namespace tools from Debian (jq and wget for the workflows' scripts and the example's tests), Node and the project's packages from npm (Node 24 arrives as a
# devDependency, first on PATH inside npm scripts). openssh-server's sshd runs only inside the fake
# EC2 instances' namespaces (__tests__/harness/instance-hosts.ts): its install starts no system sshd.
set -euo pipefail
cd "$(dirname "$0")/.."

missing=()
for pair in shellcheck:shellcheck dockerd:docker.io sshd:openssh-server ssh:openssh-client tini-static:tini runc:runc dpkg-deb:dpkg ip:iproute2 iptables:iptables nsenter:util-linux busybox:busybox-static curl:curl wget:wget jq:jq openssl:openssl npm:npm sudo:sudo; do
  command -v "${pair%%:*}" >/dev/null 2>&1 || missing+=("${pair#*:}")
done
if [ "${#missing[@]}" -gt 0 ]; then
  echo "installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -q
  # No service starts during the install (policy-rc.d's "action forbidden"), unless the machine has its own policy.
  if [ ! -e /usr/sbin/policy-rc.d ]; then
    printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d
    chmod 755 /usr/sbin/policy-rc.d
    trap 'rm -f /usr/sbin/policy-rc.d' EXIT
  fi
  apt-get install -y -q --no-install-recommends "${missing[@]}" </dev/null
fi
npm ci --no-audit --no-fund </dev/null
