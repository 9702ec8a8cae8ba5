#!/usr/bin/env bash
# `make run`: set everything up and start Harbour with a demo school, embedded (no servers):
# SQLite and Celery's filesystem broker under var/, mail written to var/mail as files.
# Starts gunicorn (web) and one Celery worker with beat inside it; Ctrl-C stops both.
# A second run reuses .venv, node_modules and the database: each step skips what is done.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
BIN=$ROOT/.venv/bin

make --no-print-directory install assets

# --- The embedded defaults (any of these can be overridden from the environment) ------------
HARBOUR_VAR_DIR=${HARBOUR_VAR_DIR:-$ROOT/var}
mkdir -p "$HARBOUR_VAR_DIR"
# Absolute, because the worker runs from inside it (--workdir below).
HARBOUR_VAR_DIR=$(cd "$HARBOUR_VAR_DIR" && pwd)
export HARBOUR_VAR_DIR
PORT=${PORT:-8000}
export SITE_URL=${SITE_URL:-http://127.0.0.1:$PORT}
# The development SECRET_KEY is public: settings refuse it unless told this is a demo.
export HARBOUR_ALLOW_DEV_KEY=${HARBOUR_ALLOW_DEV_KEY:-true}
# Two-factor is on in settings; a demo on a laptop turns it off (and every page then says so).
export TWO_FACTOR_REQUIRED=${TWO_FACTOR_REQUIRED:-false}
# Mail goes to files in var/mail, never to a real address.
export EMAIL_BACKEND=${EMAIL_BACKEND:-django.core.mail.backends.filebased.EmailBackend}
# DEBUG is left unset (false): the demo runs as production does, static files from whitenoise.

# The filesystem broker does not create its folders; the mail backend wants its folder too.
mkdir -p "$HARBOUR_VAR_DIR/broker/queue" "$HARBOUR_VAR_DIR/broker/processed" "$HARBOUR_VAR_DIR/mail"

# Fail now with a clear message rather than after migrating, if another server has the port.
if (: <"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null; then
  echo "Port $PORT is in use: stop what is using it, or run PORT=8001 make run" >&2
  exit 1
fi

echo "==> preparing the database in $HARBOUR_VAR_DIR"
"$BIN/python" manage.py migrate --noinput
"$BIN/python" manage.py collectstatic --noinput --verbosity 0
# load_demo is idempotent: a second run finds the demo school and leaves it alone.
"$BIN/python" manage.py load_demo

# --- Start the processes, and stop every one of them on the way out -------------------------
pids=()
stop() {
  trap - INT TERM EXIT
  if [ ${#pids[@]} -gt 0 ]; then
    echo
    echo "==> stopping Harbour (the worker's warm shutdown takes 5 to 12 s)"
    kill -TERM "${pids[@]}" 2>/dev/null || true
    wait "${pids[@]}" 2>/dev/null || true
  fi
}
trap 'stop; exit 130' INT
trap 'stop; exit 143' TERM
trap stop EXIT

# gunicorn 25+ opens a control socket in ~/.gunicorn by default, shared by every gunicorn of
# the user (a second make run, the test suite's run); Harbour does not use it.
gunicorn_extra=()
if "$BIN/gunicorn" --help | grep -q -- '--no-control-socket'; then
  gunicorn_extra+=(--no-control-socket)
fi
"$BIN/gunicorn" config.wsgi -b "127.0.0.1:$PORT" --workers 2 --access-logfile - "${gunicorn_extra[@]}" &
pids+=($!)
# One worker process with beat embedded (-B): SQLite and the filesystem broker are for one
# machine, and django-celery-beat's DatabaseScheduler (set in settings) keeps the schedule in
# the database; -s only places beat's small state file in var/ instead of the repository.
# --workdir: kombu's filesystem transport keeps its exchange table in ./control, so the worker
# runs from var/ to keep that out of the repository (PYTHONPATH still finds config).
PYTHONPATH="$ROOT${PYTHONPATH:+:$PYTHONPATH}" "$BIN/celery" --workdir "$HARBOUR_VAR_DIR" \
  -A config worker -B --concurrency=1 --loglevel=INFO -s "$HARBOUR_VAR_DIR/celerybeat-schedule" &
pids+=($!)

# Wait for gunicorn to listen before printing the address, so it works when it is printed.
for _ in $(seq 1 100); do
  (: <"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null && break
  kill -0 "${pids[0]}" 2>/dev/null || break
  sleep 0.1
done

logins=$HARBOUR_VAR_DIR/demo-logins.txt
echo
echo "================================================================================"
echo " Harbour is running at $SITE_URL/   (Ctrl-C to stop)"
echo " Emails are written to $HARBOUR_VAR_DIR/mail/"
echo
if [ -f "$logins" ]; then
  echo " Demo logins:"
  sed 's/^/   /' "$logins"
else
  echo " No demo logins found ($logins is written by manage.py load_demo)."
fi
echo "================================================================================"
echo

# If either process dies, stop the other rather than run half a Harbour.
status=0
wait -n "${pids[@]}" || status=$?
echo "A Harbour process exited (status $status); stopping the rest." >&2
exit "$status"
