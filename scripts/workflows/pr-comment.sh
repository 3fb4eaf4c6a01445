#!/usr/bin/env bash
# pr-environment: keeps one comment on the pull request up to date (found by a hidden marker, edited
# in place, made once), and prints the environment's URL as a step output. Reads the action's
# outputs from the environment; talks to GitHub with `gh api` and GH_TOKEN (never on a command line).
#   STATE: deployed or destroyed; NAME, MANAGER_ADDRESS, SERVICES (JSON), URL_SERVICE, PR_NUMBER, REPOSITORY.
#   COMMENT_AUTHOR: the login GH_TOKEN comments as; github-actions[bot] for the workflow's GITHUB_TOKEN.
set -euo pipefail
: "${STATE:?}" "${PR_NUMBER:?}" "${REPOSITORY:?}" "${NAME:?}"
marker="<!-- setup-swarm:pr-environment:${NAME} -->"
# Anyone can post a comment that starts with the marker: only one the token's own login wrote is edited.
author="${COMMENT_AUTHOR:-github-actions[bot]}"
services="${SERVICES:-[]}"
url=""
if [ "$STATE" = deployed ]; then
  # The environment's URL: the first published address of URL_SERVICE, or of the first service that has one.
  url=$(jq -r --arg service "${URL_SERVICE:-}" '
    [ .[] | select(($service == "" or .name == $service or (.name | endswith("_" + $service))) and .ports[0].address != null) ]
    | if length > 0 then "http://" + .[0].ports[0].address else "" end' <<<"$services")
  body=$(jq -rn --arg marker "$marker" --arg name "$NAME" --arg manager "${MANAGER_ADDRESS:-}" --argjson services "$services" --arg sha "${HEAD_SHA:-}" '
    [$marker,
     "### Environment \($name)",
     "Deployed\(if $sha != "" then " at \($sha)" else "" end). Swarm manager: `\($manager)`",
     "",
     "| service | replicas | URL |", "| --- | --- | --- |",
     ($services[] | "| \(.name) | \(.running)/\(.replicas) | \([.ports[] | select(.address != null) | "http://\(.address)"] | join(" ")) |")
    ] | join("\n")')
else
  body=$(printf '%s\n### Environment %s\nDestroyed: the pull request was closed.\n' "$marker" "$NAME")
fi
echo "url=$url" >>"${GITHUB_OUTPUT:?}"
# The pages' arrays filtered by jq with --arg: neither value is ever read as part of a jq program.
existing=$(gh api --paginate "repos/$REPOSITORY/issues/$PR_NUMBER/comments" |
  jq -rn --arg marker "$marker" --arg author "$author" \
    '[inputs[] | select(.user.login == $author and (.body // "" | startswith($marker))) | .id] | first // empty')
payload=$(jq -n --arg body "$body" '{body: $body}')
if [ -n "$existing" ]; then
  gh api --method PATCH "repos/$REPOSITORY/issues/comments/$existing" --input - <<<"$payload" >/dev/null
  echo "updated comment $existing"
else
  gh api --method POST "repos/$REPOSITORY/issues/$PR_NUMBER/comments" --input - <<<"$payload" >/dev/null
  echo "commented on #$PR_NUMBER"
fi
