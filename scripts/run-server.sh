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

# The node agent runs pods with runc in network namespaces (iproute2, iptables); busybox-static builds the
# demo image. Only root can run the agent; as another user the server runs without it.
if [ "$(uname -s)" = Linux ] && [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
    missing=()
    for pair in runc:runc ip:iproute2 iptables:iptables; do
        command -v "${pair%%:*}" >/dev/null 2>&1 || missing+=("${pair#*:}")
    done
    [ -x /bin/busybox ] || missing+=(busybox-static)
    if [ ${#missing[@]} -gt 0 ]; then
        echo "Installing the node agent's tools with apt-get: ${missing[*]} ..."
        DEBIAN_FRONTEND=noninteractive apt-get update
        DEBIAN_FRONTEND=noninteractive apt-get install -y "${missing[@]}"
    fi
elif [ "$(uname -s)" = Linux ] && [ "$(id -u)" -ne 0 ]; then
    echo "note: not root, so the server runs without its node agent (pods stay Pending). To run pods, run"
    echo "      this script as root; it installs runc, iproute2, iptables and busybox-static with apt-get."
fi

echo "Building swiftlet (release) ..."
swift build -c release --product swiftlet
bin="$(swift build -c release --show-bin-path)"

# A small busybox image for a first pod: kubectl run hello --image=swiftlet.test/busybox:1 -- sh -c 'echo hi; sleep 3600'
if [ "$(id -u)" -eq 0 ] && [ -x /bin/busybox ] && [ ! -f ./.swiftlet-data/images/images.json ]; then
    mkdir -p ./.swiftlet-data
    ./scripts/make-busybox-image.sh ./.swiftlet-data/busybox.tar
    "$bin/swiftlet" image import --data-dir ./.swiftlet-data ./.swiftlet-data/busybox.tar
fi

exec "$bin/swiftlet" server --data-dir ./.swiftlet-data "$@"
