#!/usr/bin/env bash
# The LivePulse benchmark (docs/benchmarks.md): on the native stack (scripts/stack.sh on free ports,
# started and stopped by the run), one phase after another on the same pre-filled topic:
#   limit (bare consumer + JSON decode, Kafka's ConsumerPerformance), job without Redis, full job;
#   the highest open-loop rate the full job keeps up with live, and latency at 50% and 80% of it;
#   10,000 rooms / 1,000,000 viewers in state; JMH for parsing, the viewer-state update and the
#   room aggregation.
#
#   scripts/benchmark.sh                the documented run (about 30 minutes on 2 cores)
#   scripts/benchmark.sh --smoke        a small run (a few minutes): checks that everything works
#   scripts/benchmark.sh --help         every option (sizes, loads, seed, --out, --no-profile)
#
# The report goes to target/benchmark/report.md and report.json (or --out DIR).
# Set LIVEPULSE_SKIP_BUILD=1 to run what was built last.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"

# --help and --version only print: they need the build, not the stack's packages
case " $* " in
  *" --help "* | *" -h "* | *" --version "* | *" -V "*) ;;
  *) bash scripts/install-deps.sh ;;
esac
if [ "${LIVEPULSE_SKIP_BUILD:-0}" != 1 ]; then
  echo "benchmark: building (mvn install -DskipTests)..." >&2
  mvn -B -q -ntp -DskipTests -Dspotless.check.skip=true install
fi
JAR=$(ls benchmark/target/livepulse-benchmark-*.jar 2>/dev/null | grep -v -e sources -e tests | head -1 || true)
[ -n "$JAR" ] && [ -d benchmark/target/lib ] || {
  echo "benchmark: benchmark/target is not built; run without LIVEPULSE_SKIP_BUILD" >&2
  exit 1
}
exec java -Xmx4g -Dlivepulse.root="$ROOT" -Dlog4j2.configurationFile="$ROOT/scripts/log4j2-local.xml" \
  -cp "$JAR:benchmark/target/lib/*" io.livepulse.benchmark.BenchmarkCli "$@"
