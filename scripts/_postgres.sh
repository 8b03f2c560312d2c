# Sourced by scripts/test: a real PostgreSQL for a second run of the server tests (TEST_POSTGRES_URL,
# passed to them as KASM_TEST_POSTGRES_URL). Uses KASM_TEST_POSTGRES_URL if already set; otherwise starts a throwaway cluster on a free loopback port from
# Debian's postgresql package (installed here when running as root with apt, as in CI), stopped on exit.
start_test_postgres() {
  TEST_POSTGRES_URL=${KASM_TEST_POSTGRES_URL:-}
  unset KASM_TEST_POSTGRES_URL
  [ -n "$TEST_POSTGRES_URL" ] && return 0
  [ "${KASM_TEST_POSTGRES:-auto}" = "off" ] && return 0
  local bindir
  bindir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
  if [ -z "$bindir" ] && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "== installing PostgreSQL (Debian package) for the server tests"
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql) >/dev/null 2>&1 || true
    bindir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
  fi
  [ -n "$bindir" ] || { echo "== PostgreSQL not available: the server tests run on SQLite only"; return 0; }
  local dir port run=()
  dir=$(mktemp -d /tmp/kasm-test-pg.XXXXXX)
  port=$(python -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  if [ "$(id -u)" = 0 ]; then chown postgres "$dir"; run=(runuser -u postgres --); fi
  "${run[@]}" "$bindir/initdb" -D "$dir/data" -U postgres --auth=trust -E UTF8 >/dev/null
  "${run[@]}" "$bindir/pg_ctl" -D "$dir/data" -l "$dir/log" -w \
    -o "-p $port -k $dir -h 127.0.0.1 -c fsync=off -c synchronous_commit=off -c max_connections=200" start >/dev/null
  TEST_POSTGRES_URL="postgresql+psycopg://postgres@127.0.0.1:$port/postgres"
  TEST_PG_STOP=("${run[@]}" "$bindir/pg_ctl" -D "$dir/data" -m immediate stop)
  trap '"${TEST_PG_STOP[@]}" >/dev/null 2>&1; rm -rf "'"$dir"'"' EXIT
  echo "== PostgreSQL $("$bindir/postgres" --version | awk '{print $3}') on 127.0.0.1:$port for the server tests"
}
