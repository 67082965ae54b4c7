#!/usr/bin/env bash
# The gradebook tests start a throw-away PostgreSQL 15 server (Debian's). Install it when we can (root + apt).
set -euo pipefail
PGBIN=${PGBIN:-/usr/lib/postgresql/15/bin}
if [ -x "$PGBIN/initdb" ]; then exit 0; fi
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "Installing Debian's PostgreSQL 15 for the gradebook tests (apt-get)..."
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql-15 >/dev/null
    exit 0
fi
echo "PostgreSQL 15 is missing at $PGBIN and this user cannot apt-get it: sudo apt-get install postgresql-15" >&2
echo "The PostgreSQL gradebook tests will fail until then (or set PGBIN=/path/to/postgresql/bin)." >&2
