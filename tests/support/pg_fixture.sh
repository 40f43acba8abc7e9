#!/usr/bin/env bash
# The PostgreSQL 15 server that one ctest run shares (the "postgres" fixture
# of tests/postgres.cmake); the same recipe as PgServer in pg_server.cpp.
#   pg_fixture.sh start DIR   starts it, writes its URL to DIR/url and prints it;
#                             if it already runs, only prints the URL
#   pg_fixture.sh stop DIR    stops it and removes its data
# The cluster itself lives in a directory of its own under $TMPDIR (or /tmp),
# named in DIR/cluster: a build directory can be too deep for the server's
# Unix socket path (107 bytes) or, as root, out of nobody's reach.
# $OC_PG_BINDIR overrides where initdb, pg_ctl and createdb are found.
set -euo pipefail

bin=${OC_PG_BINDIR:-/usr/lib/postgresql/15/bin}

usage() {
  echo "usage: $0 start|stop DIR" >&2
  exit 2
}
[ $# -eq 2 ] || usage
command=$1
dir=$2

# initdb, pg_ctl and postgres refuse to run as root: as root the cluster
# belongs to nobody, and they run through setpriv (util-linux, essential in
# Debian; unlike runuser it opens no PAM session).
if [ "$(id -u)" -eq 0 ]; then
  owner=(setpriv --reuid=nobody --regid=nogroup --clear-groups)
else
  owner=()
fi
as_owner() {
  "${owner[@]}" "$@"
}

# Whether the server of cluster $1 runs. The server tools run from inside
# the cluster: as nobody they cannot enter root's home, and say so.
running() {
  [ -n "$1" ] && [ -f "$1/data/PG_VERSION" ] &&
    (cd "$1" && as_owner "$bin/pg_ctl" status -D "$1/data" >/dev/null 2>&1)
}

# Stops the server of cluster $1, if any, and removes the cluster. Only
# a directory this script made, whatever DIR/cluster says.
remove_cluster() {
  local cluster=$1
  [ -d "$cluster" ] || return 0
  case $(basename "$cluster") in
    ordercare-pg-*) ;;
    *) echo "pg_fixture: not removing $cluster, which is not a cluster of ours" >&2; return 0 ;;
  esac
  # Immediate: the data goes with the cluster, so a shutdown checkpoint
  # (writing a whole run's schemas out first) would only cost time.
  if running "$cluster"; then
    (cd "$cluster" && as_owner "$bin/pg_ctl" -w -t 30 -D "$cluster/data" -m immediate stop >/dev/null) || true
  fi
  # A whole run's schemas are thousands of files, which a disk busy with
  # other builds took over half a minute to delete: the cluster is renamed
  # at once (nothing can find it as this DIR's any more) and deleted in
  # the background, its output closed so that ctest does not wait for it.
  local gone
  gone=$(mktemp -d "$(dirname "$cluster")/ordercare-pg-gone-XXXXXX")
  if mv "$cluster" "$gone/"; then
    setsid rm -rf "$gone" </dev/null >/dev/null 2>&1 &
  else
    rm -rf "$cluster" "$gone"
  fi
}

# A loopback port nothing listens on now. perl-base is essential in Debian
# (and postgresql-common needs perl anyway).
free_port() {
  perl -MIO::Socket::INET -e \
    'print IO::Socket::INET->new(LocalAddr => "127.0.0.1", LocalPort => 0, Proto => "tcp")->sockport, "\n"'
}

# Where the cluster goes: $TMPDIR, unless it is so long that the socket
# path would not fit, or (as root) nobody could not reach it.
cluster_base() {
  local base=${TMPDIR:-/tmp}
  if [ ${#base} -gt 64 ]; then
    base=/tmp
  elif [ ${#owner[@]} -gt 0 ] && ! as_owner test -x "$base" 2>/dev/null; then
    base=/tmp
  fi
  echo "$base"
}

# Reports a failed step with its output, then leaves nothing behind.
fail() {
  echo "pg_fixture: $1 failed:" >&2
  echo "$2" >&2
  if [ -f "$cluster/server.log" ]; then
    echo "server log:" >&2
    tail -n 40 "$cluster/server.log" >&2
  fi
  remove_cluster "$cluster"
  rm -f "$dir/url" "$dir/cluster"
  exit 1
}

start() {
  cluster=""
  [ -f "$dir/cluster" ] && cluster=$(cat "$dir/cluster")
  if running "$cluster" && [ -s "$dir/url" ]; then
    cat "$dir/url"
    return 0
  fi
  # What a run that was killed left behind.
  remove_cluster "$cluster"
  rm -f "$dir/url" "$dir/cluster"

  cluster=$(mktemp -d "$(cluster_base)/ordercare-pg-XXXXXX")
  echo "$cluster" >"$dir/cluster"
  [ ${#owner[@]} -eq 0 ] || chown nobody:nogroup "$cluster"
  cd "$cluster"

  local out=""
  out=$(as_owner "$bin/initdb" -D "$cluster/data" --auth=trust --encoding=UTF8 --locale=C -U ordercare \
    --no-sync --no-instructions 2>&1) || fail initdb "$out"

  # In postgresql.conf rather than on pg_ctl's command line, so that a
  # restart by hand gets the same server. The tests' data dies with the run.
  cat >>"$cluster/data/postgresql.conf" <<EOF

# The shared server of one ctest run (tests/support/pg_fixture.sh).
listen_addresses = '127.0.0.1'
unix_socket_directories = '$cluster'
max_connections = 100
fsync = off
synchronous_commit = on
full_page_writes = off
EOF

  # Someone may take the port between free_port and the server's bind.
  local port attempt
  for attempt in 1 2 3; do
    port=$(free_port)
    echo "port = $port" >>"$cluster/data/postgresql.conf"
    # 9>&-: the server must not inherit the lock and hold it for its life.
    if out=$(as_owner "$bin/pg_ctl" -w -t 30 -D "$cluster/data" -l "$cluster/server.log" start 2>&1 9>&-); then
      break
    fi
    if [ $attempt -eq 3 ] || ! grep -q "Address already in use" "$cluster/server.log"; then
      fail "pg_ctl start" "$out"
    fi
  done

  out=$("$bin/createdb" -h 127.0.0.1 -p "$port" -U ordercare ordercare 2>&1) || fail createdb "$out"
  local url="postgresql://ordercare@127.0.0.1:$port/ordercare"
  # Written whole, then renamed, so a reader never sees half a URL.
  echo "$url" >"$dir/url.tmp"
  mv "$dir/url.tmp" "$dir/url"
  echo "$url"
}

stop() {
  [ -f "$dir/cluster" ] && remove_cluster "$(cat "$dir/cluster")"
  rm -f "$dir/url" "$dir/cluster"
}

case $command in
  start | stop) ;;
  *) usage ;;
esac
# One start or stop at a time per DIR, so that two ctest runs of one build
# directory cannot both start a server and lose track of one.
mkdir -p "$dir"
exec 9>"$dir/lock"
flock 9
$command
