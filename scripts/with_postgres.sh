#!/usr/bin/env bash
# Run a command against a throwaway PostgreSQL server.
#
#   scripts/with_postgres.sh CMD [ARGS...]
#
# Starts a private PostgreSQL server on 127.0.0.1 (a free port, data and socket in a new temporary
# directory), creates the database `shield`, runs CMD with DATABASE_URL (and PGHOST, PGPORT, PGUSER,
# PGDATABASE) pointing at it, then stops the server and deletes the directory, whether CMD passed,
# failed or was interrupted. Exits with CMD's status.
#
# The server is tuned for speed, not safety (fsync off): never point it at data you want to keep.
# As root, initdb and the server run as the `postgres` system user (created if it is missing),
# because PostgreSQL refuses to run as root.
set -euo pipefail

log() { printf 'with_postgres: %s\n' "$*" >&2; }
die() {
    log "$*"
    exit 2
}

[[ $# -gt 0 ]] || die "usage: $0 CMD [ARGS...]"

find_bindir() {
    local dir candidate
    if command -v pg_config >/dev/null 2>&1; then
        dir="$(pg_config --bindir 2>/dev/null || true)"
        if [[ -n $dir && -x $dir/initdb && -x $dir/pg_ctl ]]; then
            printf '%s\n' "$dir"
            return 0
        fi
    fi
    # Debian installs each major version side by side; take the newest that has a server.
    dir=""
    for candidate in $(find /usr/lib/postgresql -mindepth 1 -maxdepth 1 -type d -printf '%f\n' 2>/dev/null | sort -n); do
        if [[ -x /usr/lib/postgresql/$candidate/bin/initdb ]]; then
            dir="/usr/lib/postgresql/$candidate/bin"
        fi
    done
    if [[ -n $dir ]]; then
        printf '%s\n' "$dir"
        return 0
    fi
    if command -v initdb >/dev/null 2>&1; then
        dir="$(dirname "$(command -v initdb)")"
        printf '%s\n' "$dir"
        return 0
    fi
    return 1
}

BINDIR="$(find_bindir)" || die "no PostgreSQL server found (initdb); install it: apt-get install postgresql"
for tool in initdb pg_ctl pg_isready createdb; do
    [[ -x $BINDIR/$tool ]] || die "$BINDIR/$tool is missing"
done

# As root, run the server's own tools as the postgres system user.
AS_SERVER=()
if [[ $(id -u) -eq 0 ]]; then
    if ! id -u postgres >/dev/null 2>&1; then
        log "creating the system user postgres"
        useradd --system --user-group --home-dir /nonexistent --no-create-home \
            --shell /usr/sbin/nologin postgres
    fi
    AS_SERVER=(runuser -u postgres --)
    # Root's TMPDIR may sit where postgres cannot reach; /tmp is always traversable.
    TMP_BASE=/tmp
else
    TMP_BASE="${TMPDIR:-/tmp}"
fi

PG_TMP="$(mktemp -d "$TMP_BASE/shield-pg.XXXXXX")"
PGDATA_DIR="$PG_TMP/data"
PG_LOG="$PG_TMP/server.log"

# shellcheck disable=SC2317  # invoked by the EXIT trap, which shellcheck cannot follow
cleanup() {
    local status=$?
    trap - EXIT INT TERM HUP
    if [[ -f $PGDATA_DIR/postmaster.pid ]]; then
        if ! (cd "$PG_TMP" && "${AS_SERVER[@]}" "$BINDIR/pg_ctl" -D "$PGDATA_DIR" -m immediate -w -t 30 stop) \
            >/dev/null 2>&1; then
            local pid
            pid="$(head -n 1 "$PGDATA_DIR/postmaster.pid" 2>/dev/null || true)"
            if [[ $pid =~ ^[0-9]+$ ]]; then
                kill -KILL "$pid" 2>/dev/null || true
            fi
        fi
    fi
    rm -rf -- "$PG_TMP"
    exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
trap 'exit 129' HUP

if [[ ${#AS_SERVER[@]} -gt 0 ]]; then
    chown postgres: "$PG_TMP"
    chmod 700 "$PG_TMP"
fi

# Run a server tool from inside the temporary directory, so the postgres user never needs access
# to the caller's working directory.
server_tool() {
    (cd "$PG_TMP" && "${AS_SERVER[@]}" "$BINDIR/$1" "${@:2}")
}

init_args=(-D "$PGDATA_DIR" -A trust -U postgres --encoding=UTF8 --no-sync)
if ! server_tool initdb "${init_args[@]}" --locale=C.UTF-8 >"$PG_TMP/initdb.log" 2>&1; then
    log "initdb with locale C.UTF-8 failed; retrying with --no-locale"
    rm -rf -- "$PGDATA_DIR"
    if ! server_tool initdb "${init_args[@]}" --no-locale >"$PG_TMP/initdb.log" 2>&1; then
        cat "$PG_TMP/initdb.log" >&2
        die "initdb failed"
    fi
fi

free_port() {
    python3 -c 'import socket
s = socket.socket()
s.bind(("127.0.0.1", 0))
print(s.getsockname()[1])
s.close()'
}

# Another process may take the port between choosing and binding it: try a few.
started=""
for _attempt in 1 2 3; do
    PORT="$(free_port)"
    if server_tool pg_ctl -D "$PGDATA_DIR" -l "$PG_LOG" -w -t 60 -o \
        "-c listen_addresses=127.0.0.1 -p $PORT -k '$PG_TMP' -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
        start >/dev/null 2>&1; then
        started=yes
        break
    fi
done
if [[ -z $started ]]; then
    cat "$PG_LOG" >&2 2>/dev/null || true
    die "the PostgreSQL server did not start"
fi

for _wait in $(seq 1 100); do
    if "$BINDIR/pg_isready" -q -h 127.0.0.1 -p "$PORT" -U postgres; then
        break
    fi
    if [[ $_wait -eq 100 ]]; then
        cat "$PG_LOG" >&2 2>/dev/null || true
        die "the PostgreSQL server did not become ready"
    fi
    sleep 0.1
done

"$BINDIR/createdb" -h 127.0.0.1 -p "$PORT" -U postgres shield

export DATABASE_URL="postgres://postgres@127.0.0.1:$PORT/shield"
export PGHOST=127.0.0.1 PGPORT="$PORT" PGUSER=postgres PGDATABASE=shield
VERSION="$("$BINDIR/postgres" --version | sed -E 's/^[^0-9]*([0-9][0-9.]*).*/\1/')"
log "PostgreSQL $VERSION ($BINDIR) started on 127.0.0.1:$PORT (data in $PG_TMP; removed on exit)"

status=0
"$@" || status=$?
exit "$status"
