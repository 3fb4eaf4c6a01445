#!/bin/bash
# setup-swarm's user data for a node of driver `aws`: cloud-init runs it once, as root, at first boot,
# while the runner waits for the instance. It carries no secret, since anyone who may describe the
# instance can read it: the engine's TLS files arrive later over SSH, and the engine listens on 2376
# only once they are there.
set -euo pipefail

readonly MARKS=/var/lib/setup-swarm
install -d -m 0755 "$MARKS"
trap 'touch "$MARKS/failed"; echo "setup-swarm: installing Docker failed, see above" >&2' ERR

# The host keys, on the console now: cloud-init prints them only after every user script, and the
# action reads them from the console to verify the host before its first SSH connection, which can
# then run while Docker installs.
echo '-----BEGIN SSH HOST KEY KEYS-----'
cat /etc/ssh/ssh_host_*_key.pub
echo '-----END SSH HOST KEY KEYS-----'

if ! command -v dockerd >/dev/null; then
  # Ubuntu's own docker.io, from the archive the image's apt already trusts: no script is fetched.
  # At first boot apt's own jobs may hold its locks: dpkg's is waited for by apt, the lists' lock
  # (which `update` takes without waiting) by trying again, 5 minutes at most in all.
  export DEBIAN_FRONTEND=noninteractive
  apt=(apt-get -q -o DPkg::Lock::Timeout=300)
  for attempt in $(seq 30); do
    if "${apt[@]}" update && "${apt[@]}" install -y --no-install-recommends docker.io; then break; fi
    [ "$attempt" -lt 30 ] || false
    sleep 10
  done
fi

# The engine's endpoints and TLS files; the packaged unit's `-H fd://` would clash with `hosts`.
# The graph driver image store, as for every node of the action: set, not left to the version's default.
install -d -m 0755 /etc/docker /etc/systemd/system/docker.service.d
install -d -m 0700 /etc/docker/tls
cat >/etc/docker/daemon.json <<'JSON'
{
  "hosts": ["unix:///var/run/docker.sock", "tcp://0.0.0.0:2376"],
  "tlsverify": true,
  "tlscacert": "/etc/docker/tls/ca.pem",
  "tlscert": "/etc/docker/tls/server-cert.pem",
  "tlskey": "/etc/docker/tls/server-key.pem",
  "features": { "containerd-snapshotter": false }
}
JSON
# Where the package put dockerd (Ubuntu: /usr/bin, Debian: /usr/sbin).
printf '[Service]\nExecStart=\nExecStart=%s\n' "$(command -v dockerd)" >/etc/systemd/system/docker.service.d/setup-swarm.conf
systemctl daemon-reload
touch "$MARKS/docker-installed"
echo 'setup-swarm: Docker is installed; the engine starts with TLS once the action has sent its certificate'
