#!/usr/bin/env bash
# Debian's newest Docker engine (the unstable suite's docker.io, docker-cli and containerd), unpacked
# into a directory of the project's own, for the tests: the system's packages stay as they are.
# apt reads a sources list and keeps its lists and downloads in a state directory of the project's;
# the archive's address is the one this machine's own sources use for Debian. The newer builds run
# on Debian 12's libc, all but runc and tini: Debian 12's own serve there (docker.io depends on both).
#
# Usage: scripts/fetch-engine.sh [DIR]   (default .engines/current)
# Prints the engine's bin directory, which goes first on PATH: dockerd, docker, containerd, ctr, and
# their companions (docker-proxy, containerd-shim-runc-v2, runc, docker-init).
set -euo pipefail
cd "$(dirname "$0")/.."
dir=$(realpath -m "${1:-.engines/current}")
state="$dir/apt"
mkdir -p "$state/lists/partial" "$state/cache/archives/partial" "$state/sources.list.d" "$state/debs"

# shellcheck source=/dev/null
codename=$(. /etc/os-release && echo "$VERSION_CODENAME")
# shellcheck disable=SC2016 # apt's own $(FIELD) placeholders
archive=$(apt-get indextargets --format '$(LABEL)|$(CODENAME)|$(REPO_URI)' |
  awk -F'|' -v codename="$codename" '$1 == "Debian" && $2 == codename { print $3; exit }')
if [ -z "$archive" ]; then
  echo "fetch-engine: no Debian archive for $codename in this machine's apt sources; run apt-get update first" >&2
  exit 1
fi
echo "deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] $archive unstable main" >"$state/sources.list"
apt_options=(
  -o "Dir::Etc::SourceList=$state/sources.list" -o "Dir::Etc::SourceParts=$state/sources.list.d"
  -o "Dir::State=$state" -o "Dir::State::Lists=$state/lists" -o "Dir::State::status=$state/status"
  -o "Dir::Cache=$state/cache" -o "Debug::NoLocking=1" -o "APT::Sandbox::User=root"
)
touch "$state/status"
apt-get "${apt_options[@]}" -q update >&2
rm -f "$state/debs/"*.deb
(cd "$state/debs" && apt-get "${apt_options[@]}" -q download docker.io docker-cli containerd >&2)

rm -rf "${dir:?}/root" "${dir:?}/bin"
for deb in "$state/debs/"*.deb; do dpkg-deb -x "$deb" "$dir/root"; done
mkdir -p "$dir/bin"
for binary in usr/sbin/dockerd usr/sbin/docker-proxy usr/bin/docker usr/bin/containerd usr/bin/containerd-shim-runc-v2 usr/bin/ctr; do
  ln -s "$dir/root/$binary" "$dir/bin/"
done
ln -s "$(command -v runc)" "$dir/bin/runc"
ln -s "$(command -v tini-static)" "$dir/bin/docker-init"
"$dir/bin/dockerd" --version >&2
echo "$dir/bin"
