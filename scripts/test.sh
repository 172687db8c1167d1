#!/usr/bin/env bash
# npm test: installs what the tests need (chromium; poppler for the printed reports),
# checks formatting and types (npm run lint), then runs every vitest suite (unit, loaders,
# the site build and the browser tour) in a network namespace that has only loopback, which
# proves that nothing reaches another host.
set -euo pipefail
cd "$(dirname "$0")/.."

CHROMIUM_PATH="$(bash scripts/ensure-chromium.sh)"
export CHROMIUM_PATH
bash scripts/ensure-poppler.sh
export TZ=UTC

echo "lint: prettier --check, tsc (and tsc on the core alone, with neither DOM nor Node types)"
npm run --silent lint

mkdir -p test/output
# A build lock a killed run left behind (test/site.ts: withBuildLock).
rm -rf test/output/.build-lock
vitest=(node_modules/.bin/vitest run --reporter=default --reporter=json --outputFile.json=test/output/vitest.json "$@")
status=0
if unshare -n true 2> /dev/null; then
  echo "offline: running the tests in a network namespace with loopback only"
  CUSTOMER_EQUITY_OFFLINE=1 unshare -n sh -c 'ip link set lo up && exec "$@"' sh "${vitest[@]}" || status=$?
else
  echo "offline: SKIPPED the no-network proof (unshare -n is not permitted here); running the tests with the network"
  "${vitest[@]}" || status=$?
fi

# One closing line that any CI reads: N passed, N failed, N skipped.
node -e '
const r = JSON.parse(require("fs").readFileSync("test/output/vitest.json", "utf-8"));
console.log(`tests: ${r.numPassedTests} passed, ${r.numFailedTests} failed, ${r.numPendingTests + r.numTodoTests} skipped`);
' || true
exit "$status"
