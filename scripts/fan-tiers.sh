#!/usr/bin/env bash
# Fan tiers in Redis, in a local Flink MiniCluster (docs/fan-tiers.md):
#   scripts/fan-tiers.sh score --input simulation/events.jsonl --redis redis://127.0.0.1:6379 [--as-of ISO]
#   scripts/fan-tiers.sh load-csv --file fans.csv --redis redis://127.0.0.1:6379
#   scripts/fan-tiers.sh --help
# On a cluster: flink run -c io.livepulse.jobs.tiering.FanTiersCli flink-jobs/target/livepulse-flink-jobs.jar score ...
set -euo pipefail
LIVEPULSE_MAIN=io.livepulse.jobs.tiering.FanTiersCli exec "$(dirname "$0")/run-local.sh" "$@"
