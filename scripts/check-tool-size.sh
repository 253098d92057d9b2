#!/usr/bin/env bash
# Packs the overlap tool for linux-x64 (the platform package `dotnet tool install` fetches there) and fails when it
# reaches 30 MB (30,000,000 bytes): the tool carries the product, not the demo, and should stay small to install.
set -euo pipefail
cd "$(dirname "$0")/.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
limit=30000000
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
dotnet pack src/Overlap.Cli -c Release -p:RuntimeIdentifiers=linux-x64 -o "$out" -nologo -v quiet >&2
package=$(ls "$out"/Overlap.Cli.linux-x64.*.nupkg)
size=$(wc -c <"$package")
if [ "$size" -ge "$limit" ]; then
  echo "the linux-x64 tool package is $size bytes, at or over the limit of $limit; see what grew with: unzip -lv $(basename "$package")" >&2
  exit 1
fi
echo "the linux-x64 tool package is $size bytes (limit $limit)"
