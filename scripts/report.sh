#!/bin/sh
# Prints a one-line health report of the droplet it runs on.
set -eu
echo "$(hostname) load=$(cut -d' ' -f1 /proc/loadavg) mem_free_kb=$(awk '/MemAvailable/ {print $2}' /proc/meminfo)"
