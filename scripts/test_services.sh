#!/usr/bin/env bash
# Installs what the tests start themselves (Debian's PostgreSQL server binaries).
# Tests start and stop their own server on a private socket; nothing runs here.
set -euo pipefail
if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null) \
      || echo "warning: could not install postgresql; PostgreSQL tests will be skipped" >&2
  else
    echo "warning: PostgreSQL server binaries missing; PostgreSQL tests will be skipped" >&2
  fi
fi
