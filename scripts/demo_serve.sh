#!/usr/bin/env bash
# Serve the demo: the web server and, beside it, the task worker that runs background work
# (linkage runs, audit chain verifications). One command; Ctrl+C stops both.
#
#   scripts/demo_serve.sh            (what `make demo` runs after migrating and loading the data)
#
# Environment: PYTHON (default .venv/bin/python, else python3), SHIELD_DEMO_ADDR (default
# 127.0.0.1:8000), DEBUG (default False), and DATABASE_URL etc. as for manage.py.
#
# Every process started here runs in its own process group (set -m) and is stopped, with all its
# children, when the server stops, the script is interrupted (INT) or terminated (TERM): no worker
# is left behind to hold the database.
set -euo pipefail
set -m

cd "$(dirname "$0")/.."
if [[ -z ${PYTHON:-} ]]; then
    if [[ -x .venv/bin/python ]]; then PYTHON=.venv/bin/python; else PYTHON=python3; fi
fi
ADDR=${SHIELD_DEMO_ADDR:-127.0.0.1:8000}
export DEBUG=${DEBUG:-False}

log() { printf 'demo: %s\n' "$*" >&2; }

children=()

stop_all() {
    trap - EXIT INT TERM
    local pid
    for pid in "${children[@]}"; do
        kill -TERM -- "-$pid" 2>/dev/null || true
    done
    for pid in "${children[@]}"; do
        wait "$pid" 2>/dev/null || true
    done
}
trap stop_all EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# run_every SECONDS MANAGE_ARGS...: run `manage.py MANAGE_ARGS` now and then every SECONDS, beside
# the server, until it stops. A failed run is logged and the next one tried as usual.
run_every() {
    local seconds=$1
    shift
    (
        trap 'kill -TERM $! 2>/dev/null; exit 0' TERM
        while true; do
            "$PYTHON" manage.py "$@" || log "manage.py $* failed (exit $?); trying again in ${seconds}s"
            sleep "$seconds" &
            wait $!
        done
    ) &
    children+=("$!")
}

# The task worker: picks up queued tasks within a second.
"$PYTHON" manage.py db_worker --interval 1 --no-startup-delay &
children+=("$!")
log "task worker started (pid ${children[0]})"

# --- periodic commands (hook) ------------------------------------------------------------------
# Commands the demo runs on a timer, one `run_every SECONDS COMMAND [ARGS]` line each, e.g.
#   run_every 900 notify_overdue
# Care-plan actions falling overdue raise their notifications (production runs it from cron).
run_every 900 notify_overdue
# ------------------------------------------------------------------------------------------------

log "serving Shield on http://$ADDR (Ctrl+C to stop the server and the worker)"
"$PYTHON" manage.py runserver --noreload "$ADDR" &
server=$!
children+=("$server")
set +e
wait "$server"
status=$?
set -e
exit "$status"
