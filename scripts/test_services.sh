#!/usr/bin/env bash
# Installs what the tests start themselves: Debian's PostgreSQL server binaries (shared-database
# tests) and Debian's chromium + chromium-driver (report and web-app tests in a real browser).
# Tests start and stop their own servers and browsers; nothing runs here.
set -euo pipefail
need=()
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || need+=(postgresql)
command -v chromium >/dev/null 2>&1 || need+=(chromium)
command -v chromedriver >/dev/null 2>&1 || need+=(chromium-driver)
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null) \
      || echo "warning: could not install ${need[*]}; the tests that need them will be skipped" >&2
  else
    echo "warning: ${need[*]} missing; the tests that need them will be skipped" >&2
  fi
fi
