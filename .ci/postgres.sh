# Sourced by .ci/run after `npm ci`: one PostgreSQL server for the whole run (both Node versions),
# exported as IMPACT_TEST_POSTGRES_URL and stopped when the run exits. In CI the PostgreSQL tests
# fail without a server (test/helpers/use-postgres.ts), so a fresh machine gets Debian's package.
# Usage: . .ci/postgres.sh <state-file>

ci_postgres_install() {
  local sudo=""
  if [ "$(id -u)" != 0 ]; then
    if command -v sudo >/dev/null; then
      sudo="sudo -n"
    else
      echo "not root and no sudo: cannot install postgresql"
      return 1
    fi
  fi
  if ! command -v apt-get >/dev/null; then
    echo "no apt-get: install the PostgreSQL server (initdb, pg_ctl) by hand"
    return 1
  fi
  # The package lists of a fresh image may be stale or missing: update only when the install fails.
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends postgresql ||
    { $sudo apt-get update && $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends postgresql; }
}

ci_postgres_state="${1:?usage: . .ci/postgres.sh <state-file>}"

if [ -z "${IMPACT_TEST_POSTGRES_URL:-}" ] && ! node --import tsx .ci/postgres.ts find 2>/dev/null; then
  echo "::group::install postgresql"
  ci_postgres_install || echo "could not install postgresql: the PostgreSQL tests will fail"
  echo "::endgroup::"
fi

# Prints the one line saying which server the run uses (or why there is none) on stderr.
if ci_postgres_url="$(node --import tsx .ci/postgres.ts start "$ci_postgres_state")"; then
  export IMPACT_TEST_POSTGRES_URL="$ci_postgres_url"
  trap 'node --import tsx .ci/postgres.ts stop "$ci_postgres_state"' EXIT
fi
