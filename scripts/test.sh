#!/usr/bin/env bash
# Runs the test suite and ends with one line: "N passed, N failed, N skipped".
#   bash scripts/test.sh           every test (the README's test command; .ci/run calls it)
#   bash scripts/test.sh --fast    the fast lane: no browser, PostgreSQL, extra process or training longer than about
#                                  a second (tests marked [Trait("Lane", "Slow")] stay out; see Crl.Tests/Support/Lanes.cs)
# Other arguments go to dotnet test (e.g. --filter "FullyQualifiedName~Crl.Tests.Web"); with --fast, a --filter
# narrows the fast lane further.
set -euo pipefail
cd "$(dirname "$0")/.."

fast=false
filter=""
args=()
while [ $# -gt 0 ]; do
  case "$1" in
    --fast) fast=true ;;
    --filter) filter="$2"; shift ;;
    --filter=*) filter="${1#--filter=}" ;;
    *) args+=("$1") ;;
  esac
  shift
done
if $fast; then
  filter="${filter:+($filter)&}Lane!=Slow"
  # The helpers that start a browser, PostgreSQL or a process refuse in this lane, naming the mark a test lacks.
  export CRL_TEST_LANE=fast
fi
[ -n "$filter" ] && args+=(--filter "$filter")

bash scripts/setup.sh

results="artifacts/test-results"
rm -rf "$results"
set +e
dotnet test Crl.Web.sln --logger "trx;LogFileName=tests.trx" --logger "console;verbosity=normal" --results-directory "$results" ${args[@]+"${args[@]}"}
status=$?
set -e

trx=$(find "$results" -name '*.trx' 2>/dev/null | head -n 1)
if [ -z "$trx" ]; then
  echo "0 passed, 1 failed, 0 skipped (no test results were written: the build or the test host failed)"
  exit 1
fi
# CI shows only the end of the output: name each failed test and the start of its message there.
awk '
  /<UnitTestResult / && /outcome="Failed"/ { failing = 1; match($0, /testName="[^"]*"/); name = substr($0, RSTART + 10, RLENGTH - 11); print "FAILED: " name; shown = 0 }
  failing && /<Message>/ { inmsg = 1; sub(/.*<Message>/, "") }
  failing && inmsg { line = $0; done = sub(/<\/Message>.*/, "", line); if (shown++ < 25) print "  " line; if (done) { inmsg = 0; failing = 0 } }
' "$trx" | sed -e 's/&quot;/"/g' -e "s/&apos;/'/g" -e 's/&lt;/</g' -e 's/&gt;/>/g' -e 's/&amp;/\&/g'
counters=$(grep -o '<Counters [^>]*>' "$trx")
count() { echo "$counters" | grep -o " $1=\"[0-9]*\"" | grep -o '[0-9]*'; }
passed=$(count passed); failed=$(count failed); total=$(count total); executed=$(count executed)
echo "$passed passed, $failed failed, $((total - executed)) skipped"
[ "$status" -eq 0 ] && [ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
