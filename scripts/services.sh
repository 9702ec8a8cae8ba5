# shellcheck shell=bash
# Shared by scripts/test.sh and scripts/bench.sh (sourced, not run): check the system packages
# the suite needs, and start and stop a throwaway PostgreSQL cluster and Redis server.
#
# Throwaway servers rather than the machine's own: tests must not depend on, or touch, a
# server someone else configured, and nothing is left running afterwards.
#
# Exports after harbour_start_services:
#   DATABASE_URL  postgres://harbour@127.0.0.1:PORT/harbour (trust auth, TCP only)
#   REDIS_URL     redis://127.0.0.1:PORT/0, and CELERY_BROKER_URL the same
# harbour_stop_services is safe to call more than once and after a partial start.

HARBOUR_ROOT=${HARBOUR_ROOT:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}
HARBOUR_PY=${HARBOUR_PY:-$HARBOUR_ROOT/.venv/bin/python}

_HARBOUR_PG_DIR=""
_HARBOUR_PG_BIN=""
_HARBOUR_REDIS_DIR=""
_HARBOUR_REDIS_PID=""

# --- Timing: "==> phase ... (1.2 s)" so a slow step stands out --------------------------------
_harbour_phase_started=0
harbour_phase() {
  echo "==> $*"
  _harbour_phase_started=${EPOCHREALTIME/./}
}
harbour_phase_done() {
  local us=$(( ${EPOCHREALTIME/./} - _harbour_phase_started ))
  printf '    done in %d.%01d s\n' $(( us / 1000000 )) $(( us % 1000000 / 100000 ))
}

_harbour_is_root() { [ "$(id -u)" = 0 ]; }

# ldconfig lives in /sbin, which is not on a normal user's PATH. The list is read into a
# variable first: piping ldconfig into `grep -q` fails under pipefail when grep stops early.
_harbour_ldconfig=""
_harbour_has_lib() {
  [ -n "$_harbour_ldconfig" ] || _harbour_ldconfig=$(ldconfig -p 2>/dev/null || /sbin/ldconfig -p)
  grep -q "$1" <<<"$_harbour_ldconfig"
}

# --- System packages ---------------------------------------------------------------------------
# Each check looks for the file the suite actually uses, so it holds whatever package provided it.
harbour_missing_packages() {
  local missing=()
  compgen -G '/usr/lib/postgresql/*/bin/initdb' >/dev/null || missing+=(postgresql)
  command -v redis-server >/dev/null || missing+=(redis-server)
  [ -x /usr/bin/chromium ] || missing+=(chromium)          # Playwright drives /usr/bin/chromium
  command -v pdftotext >/dev/null || missing+=(poppler-utils)  # PDF text for assertions
  # WeasyPrint: Pango to lay out, harfbuzz-subset to embed fonts (else a warning every render)
  _harbour_has_lib 'libpango-1\.0\.so\.0' || missing+=(libpango-1.0-0)
  _harbour_has_lib 'libpangoft2-1\.0\.so\.0' || missing+=(libpangoft2-1.0-0)
  _harbour_has_lib 'libharfbuzz-subset\.so\.0' || missing+=(libharfbuzz-subset0)
  # Any TrueType font will do for PDFs and the browser; a bare Debian has none.
  compgen -G '/usr/share/fonts/truetype/*/*.ttf' >/dev/null || missing+=(fonts-dejavu-core)
  echo "${missing[*]}"
}

harbour_ensure_packages() {
  local missing
  missing=$(harbour_missing_packages)
  [ -z "$missing" ] && return 0
  if ! _harbour_is_root || ! command -v apt-get >/dev/null; then
    echo "Missing system packages: $missing" >&2
    echo "Install them (as root): apt-get update && apt-get install -y $missing" >&2
    return 1
  fi
  echo "    installing with apt: $missing"
  # A fresh machine has no package lists; update once, then install everything in one go.
  apt-get update -qq
  # shellcheck disable=SC2086  # word splitting of the package list is intended
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $missing
}

# A free TCP port on 127.0.0.1 (the kernel picks; there is a small race until a server binds it).
harbour_free_port() {
  "$HARBOUR_PY" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

_harbour_wait_for_port() {  # port, seconds
  local i
  for (( i = 0; i < $2 * 10; i++ )); do
    (: <"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0
    sleep 0.1
  done
  return 1
}

# --- PostgreSQL ----------------------------------------------------------------------------------
# initdb and postgres refuse to run as root, so as root they run as the postgres user, in a
# folder that user can reach: /tmp (not a mode-700 home), mode 755, owned by postgres.
_harbour_pg() {
  if _harbour_is_root; then
    runuser -u postgres -- "$_HARBOUR_PG_BIN/$1" "${@:2}"
  else
    "$_HARBOUR_PG_BIN/$1" "${@:2}"
  fi
}

harbour_start_postgres() {
  _HARBOUR_PG_BIN=$(compgen -G '/usr/lib/postgresql/*/bin' | sort -V | tail -n 1)
  _HARBOUR_PG_DIR=$(mktemp -d /tmp/harbour-pg.XXXXXX)
  chmod 755 "$_HARBOUR_PG_DIR"
  _harbour_is_root && chown postgres:postgres "$_HARBOUR_PG_DIR"
  local port
  port=$(harbour_free_port)
  # trust auth on 127.0.0.1 only: a throwaway cluster with no password to manage. The C locale
  # avoids depending on which locales the machine has generated.
  _harbour_pg initdb -D "$_HARBOUR_PG_DIR/data" -U harbour -A trust -E UTF8 --no-locale \
    --no-sync >"$_HARBOUR_PG_DIR/initdb.log" 2>&1 || {
      cat "$_HARBOUR_PG_DIR/initdb.log" >&2; return 1; }
  # Durability off: the data is thrown away, and tests run several times faster without fsync.
  _harbour_pg pg_ctl -D "$_HARBOUR_PG_DIR/data" -l "$_HARBOUR_PG_DIR/postgres.log" -w -t 60 \
    -o "-p $port -k $_HARBOUR_PG_DIR -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
    start >/dev/null || { cat "$_HARBOUR_PG_DIR/postgres.log" >&2; return 1; }
  _harbour_pg createdb -h 127.0.0.1 -p "$port" -U harbour harbour
  # The user is the cluster's superuser, so pytest-django can create and drop test_harbour.
  export DATABASE_URL="postgres://harbour@127.0.0.1:$port/harbour"
  echo "    PostgreSQL $("$_HARBOUR_PG_BIN/postgres" --version | awk '{print $3}') on 127.0.0.1:$port"
}

harbour_stop_postgres() {
  [ -n "$_HARBOUR_PG_DIR" ] || return 0
  if [ -f "$_HARBOUR_PG_DIR/data/postmaster.pid" ]; then
    # immediate: no checkpoint, the data is about to be deleted anyway.
    _harbour_pg pg_ctl -D "$_HARBOUR_PG_DIR/data" -m immediate -w -t 30 stop >/dev/null 2>&1 || {
      # pg_ctl failed: kill the postmaster by the pid it recorded, so nothing is left running.
      local pid
      pid=$(head -n 1 "$_HARBOUR_PG_DIR/data/postmaster.pid" 2>/dev/null || true)
      [ -n "$pid" ] && kill -9 "$pid" 2>/dev/null
    }
  fi
  rm -rf "$_HARBOUR_PG_DIR"
  _HARBOUR_PG_DIR=""
}

# --- Redis ---------------------------------------------------------------------------------------
harbour_start_redis() {
  _HARBOUR_REDIS_DIR=$(mktemp -d /tmp/harbour-redis.XXXXXX)
  local port
  port=$(harbour_free_port)
  # No persistence (--save '' --appendonly no), loopback only, log to a file, not our terminal.
  redis-server --port "$port" --bind 127.0.0.1 --save '' --appendonly no --daemonize no \
    --dir "$_HARBOUR_REDIS_DIR" --logfile "$_HARBOUR_REDIS_DIR/redis.log" &
  _HARBOUR_REDIS_PID=$!
  if ! _harbour_wait_for_port "$port" 10; then
    echo "Redis did not start:" >&2
    cat "$_HARBOUR_REDIS_DIR/redis.log" >&2
    return 1
  fi
  export REDIS_URL="redis://127.0.0.1:$port/0"
  export CELERY_BROKER_URL="$REDIS_URL"
  echo "    Redis $(redis-server --version | grep -o 'v=[0-9.]*' | cut -c3-) on 127.0.0.1:$port"
}

harbour_stop_redis() {
  if [ -n "$_HARBOUR_REDIS_PID" ]; then
    kill "$_HARBOUR_REDIS_PID" 2>/dev/null
    wait "$_HARBOUR_REDIS_PID" 2>/dev/null
    _HARBOUR_REDIS_PID=""
  fi
  [ -n "$_HARBOUR_REDIS_DIR" ] && rm -rf "$_HARBOUR_REDIS_DIR"
  _HARBOUR_REDIS_DIR=""
}

# --- Both ----------------------------------------------------------------------------------------
harbour_start_services() {
  harbour_phase "starting throwaway PostgreSQL and Redis"
  harbour_start_postgres || return 1
  harbour_start_redis || return 1
  harbour_phase_done
}

harbour_stop_services() {
  # Called from an EXIT trap, where a failure must not hide pytest's status.
  set +e
  [ -n "$_HARBOUR_PG_DIR$_HARBOUR_REDIS_DIR" ] || return 0
  harbour_phase "stopping PostgreSQL and Redis"
  harbour_stop_postgres
  harbour_stop_redis
  harbour_phase_done
}
