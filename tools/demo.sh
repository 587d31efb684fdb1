#!/usr/bin/env bash
# The main job on embedded defaults: starts the local DigitalOcean emulator,
# then plans and applies a fleet against it (droplets are real sshd hosts on
# 127.0.x.y), with the run log in SQLite beside the fleet file.
#   tools/demo.sh                     # fleet.yaml, then tears everything down
#   tools/demo.sh --keep              # leaves droplets and the emulator running
#   tools/demo.sh -f examples/local.yaml
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
FLEET=fleet.yaml
KEEP=0
while [ $# -gt 0 ]; do
  case "$1" in
    -f) FLEET="$2"; shift 2 ;;
    --keep) KEEP=1; shift ;;
    *) echo "usage: tools/demo.sh [-f FLEET] [--keep]" >&2; exit 2 ;;
  esac
done
# The emulator accepts whatever tokens the fleet's variables hold; these are local stand-ins.
export DO_TOKEN_ALPHA="${DO_TOKEN_ALPHA:-local-alpha}" DO_TOKEN_BETA="${DO_TOKEN_BETA:-local-beta}" DO_TOKEN_LOCAL="${DO_TOKEN_LOCAL:-local-token}"
G="bin/godots"

$G validate -f "$FLEET"
LOG="$(mktemp)"
$G emulator -f "$FLEET" --port 8787 > "$LOG" 2>&1 &
EMU=$!
stop_emulator() { kill "$EMU" 2>/dev/null || true; wait "$EMU" 2>/dev/null || true; }
trap stop_emulator EXIT
for _ in $(seq 100); do grep -q '^http' "$LOG" && break; sleep 0.1; done
grep -q '^http' "$LOG" || { cat "$LOG" >&2; exit 1; }
echo "== emulator at $(head -1 "$LOG")"

echo "== godots plan";                 $G plan -f "$FLEET"
echo "== godots apply --yes";          $G apply -f "$FLEET" --yes
echo "== godots apply --yes (again: nothing to do but 'always' scripts)"; $G apply -f "$FLEET" --yes
echo "== godots history";              $G history -f "$FLEET" --limit 5
RUN="$($G history -f "$FLEET" --limit 1 --format json | node -e "let s='';process.stdin.on('data',d=>s+=d).on('end',()=>console.log(JSON.parse(s)[0].id))")"
echo "== godots logs ${RUN:0:8} (the run log is $(dirname "$FLEET")/.godots/godots.db)"
$G logs -f "$FLEET" "$RUN" --tail 3
echo "== godots drift";                $G drift -f "$FLEET" || true

if [ "$KEEP" = 1 ]; then
  trap - EXIT
  echo "== left running: emulator pid $EMU on http://127.0.0.1:8787; stop it with: kill $EMU"
else
  echo "== godots destroy --yes";      $G destroy -f "$FLEET" --yes
fi
