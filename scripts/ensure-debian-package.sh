#!/usr/bin/env bash
# Make sure a program the tests need is there: install its Debian package when we can (root + apt),
# otherwise say what to do. Usage: ensure-debian-package.sh PROGRAM PACKAGE WHAT-NEEDS-IT
# PROGRAM is a command name or an absolute path (e.g. /usr/lib/postgresql/15/bin/initdb).
set -euo pipefail
program=$1 package=$2 purpose=$3
if command -v "$program" >/dev/null; then exit 0; fi
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "Installing Debian's $package for $purpose (apt-get)..."
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$package" >/dev/null
    exit 0
fi
echo "$program is missing and this user cannot apt-get it: sudo apt-get install $package" >&2
echo "$purpose will fail until then." >&2
