#!/usr/bin/env bash
# Runs the LivePulse live metrics job in a local Flink MiniCluster (no cluster, no Docker).
#   scripts/run-local.sh            the embedded demo: simulator (whitepaper) -> job -> console board
#   scripts/run-local.sh --help     every option
#   scripts/run-local.sh --kafka.bootstrap-servers 127.0.0.1:9092 --redis.uri redis://127.0.0.1:6379 \
#                        --influx.url http://127.0.0.1:8086      the same job against real services
# Builds what is needed on first use (JDK 17 and Maven required). LIVEPULSE_MAIN picks another
# entry point on the same classpath (scripts/fan-tiers.sh uses it).
set -euo pipefail
cd "$(dirname "$0")/.."

cp_file=flink-jobs/target/classpath.txt
stale=$(find pom.xml events simulator flink-jobs -path '*/target' -prune -o -path '*/src/test' -prune -o -type f -newer "$cp_file" -print 2>/dev/null | head -1 || true)
if [ ! -s "$cp_file" ] || [ -n "$stale" ]; then
  echo "run-local: building the job (the first build downloads dependencies and takes a few minutes)..." >&2
  mvn -B -q -ntp -Dstyle.color=never -DskipTests -Dspotless.check.skip=true install -pl flink-jobs -am
  # The compile scope includes Flink itself (provided in the job jar), which the MiniCluster
  # needs; the runtime scope adds what libraries load at run time (e.g. lz4 for batch shuffles).
  mvn -B -q -ntp -Dstyle.color=never -pl flink-jobs dependency:build-classpath -Dmdep.outputFile=target/classpath-compile.txt -DincludeScope=compile
  mvn -B -q -ntp -Dstyle.color=never -pl flink-jobs dependency:build-classpath -Dmdep.outputFile=target/classpath-runtime.txt -DincludeScope=runtime
  cat flink-jobs/target/classpath-compile.txt flink-jobs/target/classpath-runtime.txt | tr ':' '\n' | awk 'NF && !seen[$0]++' \
    | paste -sd: - > "$cp_file"
fi

exec java -Xmx2g -Dlog4j2.configurationFile=scripts/log4j2-local.xml \
  -cp "flink-jobs/target/classes:$(cat "$cp_file")" "${LIVEPULSE_MAIN:-io.livepulse.jobs.LiveMetricsJob}" "$@"
