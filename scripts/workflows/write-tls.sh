#!/usr/bin/env bash
# The client TLS a kept cluster is reached with, from repository secrets (PEM text in TLS_CA_CERT,
# TLS_CA_KEY, TLS_CLIENT_CERT, TLS_CLIENT_KEY) into files setup-swarm's tls-* inputs take: a 0700
# directory in RUNNER_TEMP (emptied at the end of the job), files 0600, written by the shell's own
# printf (a builtin: no command line carries a key). Prints each file's path as a step output.
set -euo pipefail
dir="${RUNNER_TEMP:?}/setup-swarm-tls"
umask 077
mkdir -p "$dir"
chmod 700 "$dir"
for name in TLS_CA_CERT TLS_CA_KEY TLS_CLIENT_CERT TLS_CLIENT_KEY; do
  value="${!name:-}"
  if [ -z "$value" ]; then
    echo "::error::secret ${name,,} is empty: a kept cluster is found again only with the CA and client certificate it was made with (README: the one-time commands)" >&2
    exit 1
  fi
  file="$dir/$(printf '%s' "${name,,}" | tr _ -).pem"
  printf '%s\n' "$value" >"$file"
  echo "$(printf '%s' "${name,,}" | tr _ -)=$file" >>"${GITHUB_OUTPUT:?}"
done
