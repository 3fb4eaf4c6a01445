#!/usr/bin/env bash
# pr-environment, once the cluster is destroyed: its GitHub deployments are marked inactive
# (GITHUB_TOKEN with deployments: write), and the GitHub environment is deleted when an
# ADMIN_TOKEN is given (deleting an environment needs administration rights, which GITHUB_TOKEN
# never has); without one it says so and leaves the (inactive) environment.
#   ENVIRONMENT, REPOSITORY, GH_TOKEN, ADMIN_TOKEN (optional).
set -euo pipefail
: "${ENVIRONMENT:?}" "${REPOSITORY:?}"
for id in $(gh api --paginate "repos/$REPOSITORY/deployments?environment=$ENVIRONMENT" --jq '.[].id'); do
  gh api --method POST "repos/$REPOSITORY/deployments/$id/statuses" -f state=inactive >/dev/null
  echo "deployment $id marked inactive"
done
if [ -n "${ADMIN_TOKEN:-}" ]; then
  GH_TOKEN="$ADMIN_TOKEN" gh api --method DELETE "repos/$REPOSITORY/environments/$ENVIRONMENT" >/dev/null
  echo "environment $ENVIRONMENT deleted"
else
  echo "::notice::environment $ENVIRONMENT was left in place (inactive): deleting it needs administration rights; pass the environment-admin-token secret to have it deleted"
fi
