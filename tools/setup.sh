#!/usr/bin/env bash
# One-time set-up of everything godots' tests and demo need on a fresh Debian
# machine: system packages, npm packages, the Pulumi toolchain (cached under
# ~/.cache/godots). Idempotent: a second run takes seconds.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

log() { echo "setup: $*" >&2; }
export PATH="$PATH:/usr/local/go/bin"

# Debian packages the integration tests start for real: sshd for droplet hosts,
# MariaDB for the run log, rsync for file sync, iproute2 for loopback addresses.
PACKAGES=(openssh-server openssh-client mariadb-server rsync iproute2 util-linux procps)
missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ "${#missing[@]}" -gt 0 ]; then
  if [ "$(id -u)" -eq 0 ]; then
    log "installing ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
    # Packages may start their daemons on install; the tests start their own on loopback.
    systemctl disable --now mariadb ssh >/dev/null 2>&1 || true
  else
    log "missing Debian packages (${missing[*]}); tests that need them will be skipped with a reason"
  fi
fi

if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  log "npm ci"
  npm ci --no-audit --no-fund >/dev/null
fi

tools/pulumi/setup.sh >/dev/null

# actionlint checks the shipped GitHub workflows in the test suite; built once from its Go module.
ACTIONLINT_VERSION=v1.7.12
AL_DIR="${GODOTS_CACHE:-$HOME/.cache/godots}/tools/actionlint-$ACTIONLINT_VERSION"
if [ ! -x "$AL_DIR/actionlint" ]; then
  log "building actionlint $ACTIONLINT_VERSION from Go modules"
  mkdir -p "$AL_DIR"
  (cd /tmp && GOBIN="$AL_DIR" CGO_ENABLED=0 go install "github.com/rhysd/actionlint/cmd/actionlint@$ACTIONLINT_VERSION")
fi
log "ready"
