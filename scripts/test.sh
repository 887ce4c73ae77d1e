#!/usr/bin/env bash
# The whole test suite, as CI runs it: build everything with the explicit target-dependency import check
# (an import of a module the target does not declare is an error), then run every test in parallel.
# Set SCRATCH_PATH to build somewhere other than .build.
set -euo pipefail
cd "$(dirname "$0")/.."

scratch=()
if [ -n "${SCRATCH_PATH:-}" ]; then
    scratch=(--scratch-path "$SCRATCH_PATH")
fi

# Python packages the tests use: PyYAML (the generated-API check) and the official kubernetes client.
if ! python3 -c "import yaml, kubernetes" 2>/dev/null; then
    python3 -m pip install --quiet pyyaml kubernetes
fi

swift build ${scratch[@]+"${scratch[@]}"} --explicit-target-dependency-import-check=error --build-tests
# The storage suites measure wall-clock behaviour (TTL deadlines, watch hand-over under load): they run on
# their own first, so the CPU-heavy API and end-to-end suites cannot starve them; then everything else.
swift test ${scratch[@]+"${scratch[@]}"} --skip-build --parallel --filter KubeStorageTests
swift test ${scratch[@]+"${scratch[@]}"} --skip-build --parallel --skip KubeStorageTests
