#!/usr/bin/env bash
# `make bench` (SCALE=full, the default) and `make bench SCALE=small`: generate a synthetic local
# authority in a throwaway PostgreSQL (with Redis, exactly as scripts/test.sh starts them),
# measure Harbour against the floor of its own stack (benchmarks/run.py), write
# bench/results.json and the results in docs/benchmarks.md, and stop the servers whatever happens.
# Extra arguments go to benchmarks/run.py (--no-load skips gunicorn and locust).
set -euo pipefail
cd "$(dirname "$0")/.."
HARBOUR_ROOT=$PWD
source scripts/services.sh
SCALE=${SCALE:-full}

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
# Signed with the public development key, like the tests: the data is synthetic and thrown away.
export HARBOUR_ALLOW_DEV_KEY=true
export DJANGO_SETTINGS_MODULE=benchmarks.settings

harbour_phase "benchmarks at scale $SCALE"
status=0
"$HARBOUR_PY" -m benchmarks.run --scale "$SCALE" "$@" || status=$?
harbour_phase_done
exit "$status"
