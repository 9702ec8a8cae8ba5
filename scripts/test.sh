#!/usr/bin/env bash
# `make test`: set everything up, start throwaway PostgreSQL and Redis, run pytest, stop them.
#   scripts/test.sh                      the whole suite
#   scripts/test.sh tests/test_x.py -x   any pytest arguments (make test ARGS='...')
# Exits with pytest's status; the servers are stopped and removed whatever happens (trap EXIT).
set -euo pipefail
cd "$(dirname "$0")/.."
HARBOUR_ROOT=$PWD
source scripts/services.sh

harbour_phase "checking the venv, node_modules and assets"
make --no-print-directory install assets
harbour_phase_done

harbour_phase "checking system packages"
harbour_ensure_packages
harbour_phase_done

# Everything a test writes (mail files, PDFs, the filesystem broker) goes to a temporary folder,
# never to the developer's var/.
HARBOUR_VAR_DIR=$(mktemp -d /tmp/harbour-var.XXXXXX)
export HARBOUR_VAR_DIR
cleanup() {
  harbour_stop_services
  rm -rf "$HARBOUR_VAR_DIR"
}
trap cleanup EXIT
# Ctrl-C or a kill: exit, which runs the EXIT trap once.
trap 'exit 130' INT
trap 'exit 143' TERM

harbour_start_services

# The tests sign with the public development SECRET_KEY, which settings refuse unless told.
export HARBOUR_ALLOW_DEV_KEY=true

# pytest-django's live_server runs in a thread beside Playwright's sync API, which Django's
# async-safety check would otherwise refuse.
export DJANGO_ALLOW_ASYNC_UNSAFE=true

harbour_phase "pytest $*"
status=0
"$HARBOUR_PY" -m pytest "$@" || status=$?
harbour_phase_done
exit "$status"
