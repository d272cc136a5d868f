#!/usr/bin/env bash
# A broadcast's post-stream recap from InfluxDB, as HTML, Markdown and CSV (docs/recap.md):
#   scripts/recap.sh --list
#   scripts/recap.sh --live room-001-live-2 [--out recaps] [--influx-url http://127.0.0.1:8086] [--database livepulse]
#   scripts/recap.sh --help
set -euo pipefail
LIVEPULSE_MAIN=io.livepulse.jobs.recap.report.RecapCli exec "$(dirname "$0")/run-local.sh" "$@"
