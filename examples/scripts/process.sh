#!/bin/bash
# Converts this droplet's share of the uploaded images.
set -euo pipefail
mkdir -p /opt/output
i=0
for f in /opt/input/*.png; do
  [ -e "$f" ] || continue
  if [ $(( i % GODOTS_COUNT )) -eq "$GODOTS_INDEX" ]; then
    convert "$f" -resize 50% "/opt/output/$(basename "$f")"
  fi
  i=$(( i + 1 ))
done
