#!/usr/bin/env bash
# Runs the action here as a workflow would, with its defaults (driver local, 1 manager, 1 worker):
# main forms the swarm, `docker node ls` shows it through the exported environment, post removes it.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup-debian.sh >/dev/null
node=node_modules/.bin/node
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir "$work/temp"
for file in output state env path summary; do : >"$work/$file"; done
export RUNNER_TEMP="$work/temp" GITHUB_OUTPUT="$work/output" GITHUB_STATE="$work/state" GITHUB_ENV="$work/env" \
  GITHUB_PATH="$work/path" GITHUB_STEP_SUMMARY="$work/summary" GITHUB_ACTIONS=true
# The runner passes each input's default from action.yml as INPUT_<NAME>.
eval "$($node -e '
  const { parse } = require("yaml");
  const inputs = parse(require("fs").readFileSync("action.yml", "utf8")).inputs;
  for (const [name, spec] of Object.entries(inputs))
    console.log(`export "INPUT_${name.toUpperCase()}=${String(spec.default ?? "").replace(/"/g, "\\\"")}"`);
')"
# The runner reads `name<<DELIMITER` blocks from the command files.
read_file_command() { awk -v key="$1" '$0 ~ "^"key"<<" {split($0, a, "<<"); d=a[2]; getline; v=$0; while ((getline line) > 0 && line != d) v=v "\n" line; print v}' "$2"; }

echo "== main"
$node dist/main/index.js
echo "== docker node ls"
DOCKER_HOST=$(read_file_command DOCKER_HOST "$work/env") DOCKER_TLS_VERIFY=1 DOCKER_CERT_PATH=$(read_file_command DOCKER_CERT_PATH "$work/env") \
  docker node ls
echo "== post"
STATE_cluster=$(read_file_command cluster "$work/state") $node dist/post/index.js
