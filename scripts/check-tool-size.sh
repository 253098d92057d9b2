#!/usr/bin/env bash
# Packs the overlap tool for linux-x64 (the platform package `dotnet tool install` fetches there) and fails when it
# reaches 135 MB (135,000,000 bytes): the tool carries the product, not the demo, and should stay small to install.
# It was under 30 MB until it carried the sentence-embedding model for similar_to checks and text drift: the model
# (all-MiniLM-L6-v2, 83 MB packed; its weights hardly compress) and ONNX Runtime's Linux library (13.5 MB packed)
# took it to 126,595,981 bytes, and the OpenAI client of the model judge to 129,487,094; the limit leaves about 5 MB
# for growth, so a new large dependency still fails here.
set -euo pipefail
cd "$(dirname "$0")/.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
limit=135000000
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
