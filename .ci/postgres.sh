# shellcheck shell=bash
# A throwaway PostgreSQL server on loopback for the tests that need one.
#
# Source it (CI: `.ci/run`; locally: `source .ci/postgres.sh`): it installs PostgreSQL from
# Debian's packages when no `initdb`/`pg_ctl` can be found, initialises a cluster in a fresh
# temporary directory, starts it on 127.0.0.1 at a free port, creates the database
# `chorus_test`, and exports
#
#   CHORUS_TEST_PG=postgres://postgres@127.0.0.1:PORT/chorus_test
#
# which the PostgreSQL tests read (each test makes its own database next to that one). The
# server is stopped and its directory removed when the sourcing shell exits (an EXIT trap),
# or earlier with `chorus_pg_stop`. `initdb` refuses to run as root, so as root the cluster
# belongs to the `postgres` user (created by Debian's package).

chorus_pg_bindir() {
  local d
  if command -v pg_ctl >/dev/null 2>&1 && command -v initdb >/dev/null 2>&1; then
    # Debian links only some programs into PATH: use the directory they really live in.
    d=$(dirname "$(readlink -f "$(command -v pg_ctl)")")
    if [ -x "$d/createdb" ] && [ -x "$d/postgres" ]; then
      echo "$d"
      return 0
    fi
  fi
  for d in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
    if [ -x "$d/pg_ctl" ] && [ -x "$d/initdb" ]; then
      echo "$d"
      return 0
    fi
  done
  return 1
}

chorus_pg_free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

chorus_pg_stop() {
  if [ -n "${CHORUS_PG_DIR:-}" ] && [ -d "$CHORUS_PG_DIR" ]; then
    ${CHORUS_PG_AS:-} "$CHORUS_PG_BIN/pg_ctl" -D "$CHORUS_PG_DIR/data" -m immediate -w stop >/dev/null 2>&1 || true
    rm -rf "$CHORUS_PG_DIR"
  fi
  unset CHORUS_PG_DIR CHORUS_TEST_PG
}

chorus_pg_start() {
  local bin user port dir
  if ! bin=$(chorus_pg_bindir); then
    echo "postgres.sh: no PostgreSQL found; installing Debian's package" >&2
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq && apt-get install -y -qq postgresql >/dev/null || return 1
    bin=$(chorus_pg_bindir) || { echo "postgres.sh: PostgreSQL still not found" >&2; return 1; }
  fi
  CHORUS_PG_BIN=$bin
  CHORUS_PG_AS=""
  user=$(id -un)
  dir=$(mktemp -d /tmp/chorus-pg.XXXXXX) || return 1
  chmod 755 "$dir"
  if [ "$(id -u)" = 0 ]; then
    # initdb refuses root: the cluster belongs to the `postgres` user.
    id postgres >/dev/null 2>&1 || useradd --system --home-dir "$dir" postgres || return 1
    chown postgres "$dir"
    CHORUS_PG_AS="runuser -u postgres --"
    user=postgres
  fi
  CHORUS_PG_DIR=$dir
  export CHORUS_PG_DIR CHORUS_PG_BIN CHORUS_PG_AS
  trap chorus_pg_stop EXIT

  $CHORUS_PG_AS "$bin/initdb" -D "$dir/data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 \
    --no-sync >"$dir/initdb.log" 2>&1 || { cat "$dir/initdb.log" >&2; chorus_pg_stop; return 1; }
  # A port can be taken between the probe and the start: try a few.
  local try
  for try in 1 2 3 4 5; do
    port=$(chorus_pg_free_port) || { chorus_pg_stop; return 1; }
    if $CHORUS_PG_AS "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
      -o "-c listen_addresses=127.0.0.1 -p $port -k $dir -c max_connections=200" start >/dev/null; then
      break
    fi
    port=""
  done
  if [ -z "$port" ]; then
    echo "postgres.sh: the server did not start:" >&2
    tail -n 20 "$dir/server.log" >&2
    chorus_pg_stop
    return 1
  fi
  $CHORUS_PG_AS "$bin/createdb" -h 127.0.0.1 -p "$port" -U postgres chorus_test || { chorus_pg_stop; return 1; }
  export CHORUS_TEST_PG="postgres://postgres@127.0.0.1:$port/chorus_test"
  echo "postgres.sh: PostgreSQL ($("$bin/postgres" --version)) on 127.0.0.1:$port as $user; CHORUS_TEST_PG=$CHORUS_TEST_PG" >&2
}

chorus_pg_start
