#!/usr/bin/env bash
# ci.yml's jobs on the local driver: what the runner gives the nodes, in the job summary, so that each
# image of the matrix says what it ran on: the host, `docker version`, the engine's image store
# (containerd's, with a snapshotter, or a graph driver) and the cgroup hierarchy (v1, hybrid or v2).
#   CGROUP_ROOT (default /sys/fs/cgroup) -> $GITHUB_STEP_SUMMARY
set -euo pipefail
root=${CGROUP_ROOT:-/sys/fs/cgroup}

# v2 mounts cgroup2 at the root; hybrid mounts a tmpfs there, the v1 controllers in it and a cgroup2
# at unified/; v1 the same without the cgroup2.
if [ "$(stat -fc %T "$root")" = cgroup2fs ]; then
  hierarchy="v2 (cgroup2 at $root)"
elif [ "$(stat -fc %T "$root/unified" 2>/dev/null)" = cgroup2fs ]; then
  hierarchy="hybrid (v1 controllers, cgroup2 at $root/unified)"
else
  hierarchy="v1"
fi

info=$(docker info --format '{{.Driver}} {{json .DriverStatus}}')
if [[ "$info" == *io.containerd.snapshotter.v1* ]]; then
  store="containerd (snapshotter ${info%% *})"
else
  store="graph driver ${info%% *}"
fi

# shellcheck source=/dev/null
host="$(. /etc/os-release && echo "$PRETTY_NAME"), $(uname -m), kernel $(uname -r)"

{
  echo '### The runner'
  echo
  echo '| | |'
  echo '| --- | --- |'
  echo "| host | $host |"
  echo "| cgroup hierarchy | $hierarchy |"
  echo "| image store | $store |"
  echo
  echo '```'
  docker version
  echo '```'
} | tee -a "${GITHUB_STEP_SUMMARY:?}"
