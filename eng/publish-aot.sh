#!/usr/bin/env bash
# Publishes samples/Quickstart as a native AOT binary, fails on any trim or AOT warning,
# then runs the binary offline (it streams from the in-process emulator).
set -euo pipefail
cd "$(dirname "$0")/.."

out=artifacts/aot
rid=$(dotnet --info | awk -F': *' '/^ *RID:/ {print $2; exit}')
log=$(mktemp)
dotnet publish samples/Quickstart/Quickstart.csproj -c Release -r "$rid" -p:PublishAot=true -o "$out" 2>&1 | tee "$log"
if grep -Eq 'warning (IL|AOT)[0-9]+' "$log"; then
  echo "Native AOT publish produced trim/AOT warnings:" >&2
  grep -E 'warning (IL|AOT)[0-9]+' "$log" | sort -u >&2
  exit 1
fi
echo "native binary: $(du -h "$out/Quickstart" | cut -f1) at $out/Quickstart"
env -u YUHUAN_API_KEY "$out/Quickstart"
env -u YUHUAN_API_KEY YUHUAN_PROTOCOL=responses "$out/Quickstart"
