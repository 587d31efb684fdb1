#!/usr/bin/env bash
# Makes the Pulumi toolchain available offline: binaries already on PATH or in the
# cache are reused; otherwise they are built from Go modules (no installer that
# downloads a prebuilt binary can run on godots' build machines).
# Prints the toolchain's bin directory on the last line of stdout.
set -euo pipefail

PULUMI_VERSION="${GODOTS_PULUMI_VERSION:-v3.248.0}"
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
CACHE="${GODOTS_CACHE:-$HOME/.cache/godots}/toolchain/$PULUMI_VERSION"
BIN="$CACHE/bin"
mkdir -p "$BIN"
export PULUMI_SKIP_UPDATE_CHECK=true

log() { echo "godots toolchain: $*" >&2; }

have_version() { [ -x "$1" ] && [ "$("$1" version 2>/dev/null)" = "$PULUMI_VERSION" ]; }

if ! have_version "$BIN/pulumi"; then
  if command -v pulumi >/dev/null && have_version "$(command -v pulumi)"; then
    log "using pulumi $PULUMI_VERSION from PATH"
    ln -sf "$(command -v pulumi)" "$BIN/pulumi"
  else
    command -v go >/dev/null || { log "Go is required to build the Pulumi CLI (apt-get install golang, or /usr/local/go)"; exit 1; }
    log "building pulumi $PULUMI_VERSION from Go modules (a few minutes, once)"
    start=$(date +%s)
    (cd "$HERE/cli" && CGO_ENABLED=0 go build -trimpath \
      -ldflags "-s -w -X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=$PULUMI_VERSION" \
      -o "$BIN/pulumi.tmp" github.com/pulumi/pulumi/pkg/v3/cmd/pulumi)
    mv "$BIN/pulumi.tmp" "$BIN/pulumi"
    log "built pulumi in $(( $(date +%s) - start ))s ($(du -h "$BIN/pulumi" | cut -f1))"
  fi
fi

# The DigitalOcean provider plugin is used when present (on PATH, in $BIN, or in
# Pulumi's plugin cache). Building it offline is blocked: see tools/pulumi/README.md.
if command -v pulumi-resource-digitalocean >/dev/null && [ ! -e "$BIN/pulumi-resource-digitalocean" ]; then
  ln -sf "$(command -v pulumi-resource-digitalocean)" "$BIN/pulumi-resource-digitalocean"
fi

echo "$BIN"
