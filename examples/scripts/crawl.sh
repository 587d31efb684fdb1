#!/bin/bash
# Crawls this droplet's shard of the target list.
set -euo pipefail
echo "crawling shard $GODOTS_INDEX of $GODOTS_COUNT as $USER_AGENT"
