#!/usr/bin/env bash
# `make bench`: run pytest benchmarks/ (pytest-benchmark) against throwaway PostgreSQL and
# Redis, exactly as scripts/test.sh runs the suite. Extra arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
HARBOUR_ROOT=$PWD
source scripts/services.sh

# Nothing to measure yet is not a failure: say so and skip starting the servers.
if [ -z "$(find benchmarks \( -name 'test_*.py' -o -name '*_test.py' \) -print -quit 2>/dev/null)" ]; then
  echo "No benchmarks yet (benchmarks/test_*.py): nothing to run."
  exit 0
fi

harbour_phase "checking the venv, node_modules and assets"
make --no-print-directory install assets
harbour_phase_done

harbour_phase "checking system packages"
harbour_ensure_packages
harbour_phase_done

HARBOUR_VAR_DIR=$(mktemp -d /tmp/harbour-var.XXXXXX)
export HARBOUR_VAR_DIR
cleanup() {
  harbour_stop_services
  rm -rf "$HARBOUR_VAR_DIR"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

harbour_start_services
export DJANGO_ALLOW_ASYNC_UNSAFE=true
export HARBOUR_ALLOW_DEV_KEY=true

harbour_phase "pytest benchmarks/ $*"
status=0
"$HARBOUR_PY" -m pytest benchmarks/ "$@" || status=$?
harbour_phase_done
# pytest's 5 means "no tests collected": with no benchmark functions yet, that is not a failure.
if [ "$status" = 5 ]; then
  echo "No benchmarks collected in benchmarks/: nothing to run."
  status=0
fi
exit "$status"
