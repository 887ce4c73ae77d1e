#!/usr/bin/env bash
# Installs what Swiftlet needs, builds a release binary and runs `swiftlet server` with its data in
# ./.swiftlet-data. Extra arguments go to `swiftlet server` (e.g. --log-level debug).
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v swift >/dev/null 2>&1; then
    echo "error: 'swift' is not in PATH. Install Swift 6.1 or newer (https://www.swift.org/install/)," >&2
    echo "       then run this script again." >&2
    exit 1
fi

# GRDB builds against the system SQLite, so on Linux its headers must be installed (macOS ships them).
if [ "$(uname -s)" = Linux ] && [ ! -f /usr/include/sqlite3.h ]; then
    if ! command -v apt-get >/dev/null 2>&1; then
        echo "error: SQLite development files (sqlite3.h) are missing; install them with your package" >&2
        echo "       manager (e.g. 'dnf install sqlite-devel'), then run this script again." >&2
        exit 1
    fi
    if [ "$(id -u)" -eq 0 ]; then
        echo "Installing libsqlite3-dev with apt-get ..."
        DEBIAN_FRONTEND=noninteractive apt-get update
        DEBIAN_FRONTEND=noninteractive apt-get install -y libsqlite3-dev
    elif command -v sudo >/dev/null 2>&1; then
        echo "libsqlite3-dev is missing; installing it with: sudo apt-get install -y libsqlite3-dev"
        echo "(sudo may ask for your password)"
        sudo apt-get update
        sudo apt-get install -y libsqlite3-dev
    else
        echo "error: libsqlite3-dev is missing and this script is not running as root." >&2
        echo "       Run 'apt-get install -y libsqlite3-dev' as root, then run this script again." >&2
        exit 1
    fi
fi

echo "Building swiftlet (release) ..."
swift build -c release --product swiftlet
bin="$(swift build -c release --show-bin-path)"

exec "$bin/swiftlet" server --data-dir ./.swiftlet-data "$@"
