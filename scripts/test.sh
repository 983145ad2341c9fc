#!/usr/bin/env bash
# Runs the whole test suite and ends with one line: "N passed, N failed, N skipped".
# Extra arguments go to dotnet test (e.g. --filter "FullyQualifiedName~Crl.Tests.Web").
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh

results="artifacts/test-results"
rm -rf "$results"
set +e
dotnet test Crl.Web.sln --logger "trx;LogFileName=tests.trx" --logger "console;verbosity=normal" --results-directory "$results" "$@"
status=$?
set -e

trx=$(find "$results" -name '*.trx' 2>/dev/null | head -n 1)
if [ -z "$trx" ]; then
  echo "0 passed, 1 failed, 0 skipped (no test results were written: the build or the test host failed)"
  exit 1
fi
counters=$(grep -o '<Counters [^>]*>' "$trx")
count() { echo "$counters" | grep -o " $1=\"[0-9]*\"" | grep -o '[0-9]*'; }
passed=$(count passed); failed=$(count failed); total=$(count total); executed=$(count executed)
echo "$passed passed, $failed failed, $((total - executed)) skipped"
[ "$status" -eq 0 ] && [ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
