#!/usr/bin/env bash
# The native LivePulse stack: the same topology as docker-compose.yml, as local processes bound to
# 127.0.0.1 — Redis and InfluxDB from Debian's packages, a Kafka broker and a Flink session cluster
# (JobManager + TaskManagers) from Maven jars. No Docker.
#
#   scripts/stack.sh up              start everything, create the topics and the database
#   scripts/stack.sh submit [ARGS]   upload the job jar and run the live metrics job on the cluster
#   scripts/stack.sh status          what runs, with pids and ports
#   scripts/stack.sh logs [NAME]     the logs (all, or one of redis influxdb kafka jobmanager taskmanager-N)
#   scripts/stack.sh down            stop everything that `up` started (by recorded pid)
#   scripts/stack.sh submit --from PATH [ARGS]   run the job from a savepoint or retained checkpoint
#   scripts/stack.sh stop-job JOB_ID stop the job with a savepoint; prints the savepoint's path
#   scripts/stack.sh last-checkpoint JOB_ID   prints the job's newest retained checkpoint
#   scripts/stack.sh pace [OPTIONS]  ask the job for its checkpoints 1 s after a tick's end, every 10 s
#                                    (a process beside the JobManager, until pace-stop or down); submit
#                                    the job with --checkpoint.interval 20s --checkpoint.min-pause 20s,
#                                    its own schedule as the fallback (docs/live-metrics-job.md);
#                                    OPTIONS: --job-id ID, --after-tick-ms, --interval-ms (--help)
#   scripts/stack.sh pace-stop       stop the pacer: the job's own checkpoints resume
# Faults, for the reliability tests (docs/reliability.md):
#   scripts/stack.sh taskmanager-start | taskmanager-kill N    add a TaskManager / kill -9 one
#   scripts/stack.sh jobmanager-kill | jobmanager-start        kill -9 the JobManager / start a new one
#   scripts/stack.sh pause|resume redis|influxdb|taskmanager-N SIGSTOP / SIGCONT the server or TaskManager
#   scripts/stack.sh stop|start redis|influxdb                 shut the server down / start it again
#
# Ports and places come from the environment (defaults in brackets):
#   LIVEPULSE_STACK_DIR [.stack]  REDIS_PORT [6379]  INFLUX_PORT [8086]  INFLUX_RPC_PORT [8088]
#   KAFKA_PORT [9092]  KAFKA_CONTROLLER_PORT [9093]  FLINK_REST_PORT [8081]  FLINK_RPC_PORT [6123]
#   FLINK_BLOB_PORT [6124]  TASKMANAGERS [1]  TASKMANAGER_SLOTS [2]  TASKMANAGER_MEMORY [1280m]
#   STATE_BACKEND [hashmap]: or rocksdb, which checkpoints incrementally and gets
#   TASKMANAGER_MANAGED_MEMORY [64m with hashmap, 512m with rocksdb] for its caches; or
#   changelog: hashmap whose checkpoints write only the changes since the last one (the state
#   changelog, to files under the stack dir), with a full copy every CHANGELOG_MATERIALIZE [3 min]
#   TASKMANAGER_JAVA_OPTS [none]: extra JVM flags for the TaskManagers (GC log, JFR), after the
#   configuration's env.java.opts.taskmanager (so they win); @N@ becomes the TaskManager number
#   TASKMANAGER_JAVA [java]: the java that runs the TaskManagers, e.g. a newer JDK's bin/java for
#   its collectors (the rest of the stack stays on the JDK 17 on the PATH; docs/benchmarks.md)
#   INFLUXD_NICE [-10 as root, else 0]: the scheduling priority influxd runs at (nice, -20 to
#   19; below 0 needs root). InfluxDB shares the machine's cores with the job: above the job's, it
#   writes a tick at once instead of waiting for a core (docs/benchmarks.md, runs K1 to K6)
#   INFLUXD_GOMAXPROCS [1]: the most cores influxd's Go runtime runs on at once. With the higher
#   priority and every core, a busy InfluxDB (a tick of 10,000 rooms) takes both cores from a
#   TaskManager whose collector has the world stopped, and its stops grow threefold; with one it
#   leaves the TaskManager a core (docs/benchmarks.md, runs S4 to S7). Half the cores on a larger
#   machine.
#   EVENTS_TOPIC [live-events]  DLQ_TOPIC [live-events-dlq]  RECAPS_TOPIC [live-recaps]  ALERTS_TOPIC [live-alerts]
#   INFLUX_DB [livepulse]
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
STACK_DIR=${LIVEPULSE_STACK_DIR:-$ROOT/.stack}
REDIS_PORT=${REDIS_PORT:-6379}
INFLUX_PORT=${INFLUX_PORT:-8086}
INFLUX_RPC_PORT=${INFLUX_RPC_PORT:-8088}
KAFKA_PORT=${KAFKA_PORT:-9092}
KAFKA_CONTROLLER_PORT=${KAFKA_CONTROLLER_PORT:-9093}
FLINK_REST_PORT=${FLINK_REST_PORT:-8081}
FLINK_RPC_PORT=${FLINK_RPC_PORT:-6123}
FLINK_BLOB_PORT=${FLINK_BLOB_PORT:-6124}
TASKMANAGERS=${TASKMANAGERS:-1}
TASKMANAGER_SLOTS=${TASKMANAGER_SLOTS:-2}
TASKMANAGER_MEMORY=${TASKMANAGER_MEMORY:-1280m}
TASKMANAGER_JAVA_OPTS=${TASKMANAGER_JAVA_OPTS:-}
TASKMANAGER_JAVA=${TASKMANAGER_JAVA:-java}
STATE_BACKEND=${STATE_BACKEND:-hashmap}
CHANGELOG=false
case $STATE_BACKEND in
  hashmap) TASKMANAGER_MANAGED_MEMORY=${TASKMANAGER_MANAGED_MEMORY:-64m}; INCREMENTAL=false ;;
  rocksdb) TASKMANAGER_MANAGED_MEMORY=${TASKMANAGER_MANAGED_MEMORY:-512m}; INCREMENTAL=true ;;
  changelog) TASKMANAGER_MANAGED_MEMORY=${TASKMANAGER_MANAGED_MEMORY:-64m}; INCREMENTAL=false
    STATE_BACKEND=hashmap; CHANGELOG=true ;;
  *) echo "stack: STATE_BACKEND must be hashmap, rocksdb or changelog, got '$STATE_BACKEND'" >&2; exit 2 ;;
esac
CHANGELOG_MATERIALIZE=${CHANGELOG_MATERIALIZE:-3 min}
if [ "$(id -u)" = 0 ]; then INFLUXD_NICE=${INFLUXD_NICE:--10}; else INFLUXD_NICE=${INFLUXD_NICE:-0}; fi
if ! [[ $INFLUXD_NICE =~ ^-?[0-9]+$ ]] || (( INFLUXD_NICE < -20 || INFLUXD_NICE > 19 )); then
  echo "stack: INFLUXD_NICE must be a whole number from -20 to 19, got '$INFLUXD_NICE'" >&2; exit 2
fi
INFLUXD_GOMAXPROCS=${INFLUXD_GOMAXPROCS:-1}
if ! [[ $INFLUXD_GOMAXPROCS =~ ^[1-9][0-9]*$ ]]; then
  echo "stack: INFLUXD_GOMAXPROCS must be a whole number of cores, 1 or more, got '$INFLUXD_GOMAXPROCS'" >&2; exit 2
fi
EVENTS_TOPIC=${EVENTS_TOPIC:-live-events}
DLQ_TOPIC=${DLQ_TOPIC:-live-events-dlq}
RECAPS_TOPIC=${RECAPS_TOPIC:-live-recaps}
ALERTS_TOPIC=${ALERTS_TOPIC:-live-alerts}
INFLUX_DB=${INFLUX_DB:-livepulse}
KAFKA_LIB=$ROOT/stack/kafka/target/lib
FLINK_LIB=$ROOT/stack/flink/target/lib
# Flink loads metrics reporters from its plugins directory (here: the InfluxDB reporter).
export FLINK_PLUGINS_DIR=$ROOT/stack/flink/target/plugins
JOB_JAR=$ROOT/flink-jobs/target/livepulse-flink-jobs.jar
PIDS=$STACK_DIR/pids
LOGS=$STACK_DIR/logs

# Flink's own list for Java 17 (env.java.opts.all in its default config).
JAVA17_OPTS="--add-exports=java.base/sun.net.util=ALL-UNNAMED --add-exports=java.rmi/sun.rmi.registry=ALL-UNNAMED \
--add-exports=java.security.jgss/sun.security.krb5=ALL-UNNAMED --add-opens=java.base/java.lang=ALL-UNNAMED \
--add-opens=java.base/java.net=ALL-UNNAMED --add-opens=java.base/java.io=ALL-UNNAMED --add-opens=java.base/java.nio=ALL-UNNAMED \
--add-opens=java.base/sun.nio.ch=ALL-UNNAMED --add-opens=java.base/java.lang.reflect=ALL-UNNAMED \
--add-opens=java.base/java.text=ALL-UNNAMED --add-opens=java.base/java.time=ALL-UNNAMED --add-opens=java.base/java.util=ALL-UNNAMED \
--add-opens=java.base/java.util.concurrent=ALL-UNNAMED --add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED \
--add-opens=java.base/java.util.concurrent.locks=ALL-UNNAMED"

say() { printf 'stack: %s\n' "$*" >&2; }
die() { printf 'stack: error: %s\n' "$*" >&2; exit 1; }

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

require_free_port() { # port, what, variable
  if port_open "$1"; then
    die "port $1 ($2) is taken on 127.0.0.1. Stop what holds it, or pick another: $3=<port> scripts/stack.sh up"
  fi
}

pid_of() { [ -f "$PIDS/$1.pid" ] && cat "$PIDS/$1.pid" || true; }

alive() { local pid; pid=$(pid_of "$1"); [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; }

wait_for() { # seconds, description, command...
  local seconds=$1 what=$2; shift 2
  local deadline=$((SECONDS + seconds))
  until "$@"; do
    if [ $SECONDS -ge $deadline ]; then
      die "$what was not ready after ${seconds}s; see $LOGS"
    fi
    sleep 0.3
  done
}

start_bg() { # name, command... (records the pid; output is appended to the log)
  local name=$1; shift
  # Appended, not truncated: a TaskManager started in place of a killed one keeps the log of the
  # one before it, which is where the cause of the kill's aftermath is.
  echo "=== $name started $(date -u +%FT%TZ)" >> "$LOGS/$name.log"
  nohup "$@" >> "$LOGS/$name.log" 2>&1 < /dev/null &
  echo $! > "$PIDS/$name.pid"
}

ensure_built() {
  if [ ! -d "$KAFKA_LIB" ] || [ ! -d "$FLINK_LIB" ] || [ ! -f "$JOB_JAR" ]; then
    say "building the job jar and gathering the Kafka and Flink jars (first time only)..."
    (cd "$ROOT" && mvn -B -q -ntp -DskipTests -Dspotless.check.skip=true install)
  fi
}

flink_conf() {
  mkdir -p "$STACK_DIR/flink-conf" "$STACK_DIR/checkpoints" "$STACK_DIR/savepoints" "$STACK_DIR/changelog"
  cat > "$STACK_DIR/flink-conf/config.yaml" <<EOF
jobmanager.rpc.address: 127.0.0.1
jobmanager.rpc.port: $FLINK_RPC_PORT
jobmanager.bind-host: 127.0.0.1
jobmanager.memory.process.size: 1024m
taskmanager.bind-host: 127.0.0.1
taskmanager.host: 127.0.0.1
taskmanager.numberOfTaskSlots: $TASKMANAGER_SLOTS
taskmanager.memory.process.size: $TASKMANAGER_MEMORY
taskmanager.memory.managed.size: $TASKMANAGER_MANAGED_MEMORY
rest.address: 127.0.0.1
rest.bind-address: 127.0.0.1
rest.port: $FLINK_REST_PORT
blob.server.port: $FLINK_BLOB_PORT
parallelism.default: 2
state.backend.type: $STATE_BACKEND
execution.checkpointing.incremental: $INCREMENTAL
state.changelog.enabled: $CHANGELOG
state.changelog.storage: filesystem
state.changelog.dstl.dfs.base-path: file://$STACK_DIR/changelog
state.changelog.periodic-materialize.interval: $CHANGELOG_MATERIALIZE
execution.checkpointing.dir: file://$STACK_DIR/checkpoints
execution.checkpointing.savepoint-dir: file://$STACK_DIR/savepoints
execution.checkpointing.externalized-checkpoint-retention: RETAIN_ON_CANCELLATION
# The TaskManager's JVM flags (start_taskmanager reads them here, as Flink's own scripts do).
# G1's young generation at most 128 MB: a young collection stops the job while it copies what
# survived, and while a million viewers' state fills a fifth of it survives; with G1's own sizing
# (up to 60% of the heap) one pause copied about 150 MB for 0.5 s. At 256 and 192 MB the longest
# still passed 200 ms whenever the collector got less than both cores (InfluxDB, at a higher
# priority, writing beside it): the copy takes as long as the cores it gets. At 128 MB there is a
# third less to copy from at each collection, and the scale phase's longest stop was 136.5-199.0
# ms in three runs, and 155.5, 188.7, 207.5 and 231.0 ms after a latency run
# (docs/benchmarks.md, changes 36, 37 and 43; runs S12 to S14, KS34, KS35, KS37, KS40).
# The price is throughput: with G1's own sizing the benchmark's full drain ran a quarter to a
# third faster, with stops of up to 406 ms (runs YA1 to YB2); lift it where that matters more.
# TASKMANAGER_JAVA_OPTS come after these flags, so the same flag there wins.
env.java.opts.taskmanager: -XX:MaxNewSize=128m
heartbeat.interval: 1000
heartbeat.timeout: 5000
restart-strategy.type: exponential-delay
# Flink's first restart waits 1 s, then 1.5 times longer at each restart (up to 1 min): most of a
# recovery into a standby TaskManager (docs/reliability.md). 200 ms first; repeats still back off.
restart-strategy.exponential-delay.initial-backoff: 200 ms
web.submit.enable: true
# REST metrics are a cache refreshed this often (default 10 s); the fault tests read them live.
metrics.fetcher.update-interval: 1000
web.upload.dir: $STACK_DIR/flink-uploads
metrics.reporter.influxdb.factory.class: org.apache.flink.metrics.influxdb.InfluxdbReporterFactory
metrics.reporter.influxdb.scheme: http
metrics.reporter.influxdb.host: 127.0.0.1
metrics.reporter.influxdb.port: $INFLUX_PORT
metrics.reporter.influxdb.db: $INFLUX_DB
metrics.reporter.influxdb.interval: 10 SECONDS
# only what the operations board reads: everything else cost InfluxDB ~350 measurements of writes
metrics.reporter.influxdb.filter.includes: jobmanager.job:lastCheckpointDuration;taskmanager.job.task.operator:pendingRecords,deadLetters,lateEvents,lateRoomEvents,redisFallbacks
EOF
  cp "$ROOT/scripts/log4j2-local.xml" "$STACK_DIR/flink-conf/log4j.xml"
}

# The JVM flags Flink's own scripts would compute for a process (GET_JM/TM_RESOURCE_PARAMS).
flink_resource_params() {
  java -cp "$FLINK_LIB/*" org.apache.flink.runtime.util.bash.BashJavaUtils "$1" --configDir "$STACK_DIR/flink-conf" 2>/dev/null \
    | sed -n 's/^BASH_JAVA_UTILS_EXEC_RESULT://p'
}

start_redis() {
  say "redis on 127.0.0.1:$REDIS_PORT"
  start_bg redis redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --dir "$STACK_DIR/redis" --save '' --appendonly no
}

start_influxdb() { # (the config is written by `up`)
  # nice execs influxd, so the recorded pid is the server's; every thread it starts inherits the
  # priority. Without the right to raise it, nice warns and runs influxd at the usual one.
  GOMAXPROCS=$INFLUXD_GOMAXPROCS start_bg influxdb nice -n "$INFLUXD_NICE" influxd -config "$STACK_DIR/influxdb/influxdb.conf"
}

wait_for_influxdb() {
  wait_for 30 influxdb curl -sf -o /dev/null "http://127.0.0.1:$INFLUX_PORT/ping"
}

start_jobmanager() {
  local params jvm dyn
  params=$(flink_resource_params GET_JM_RESOURCE_PARAMS)
  jvm=$(printf '%s\n' "$params" | sed -n 1p)
  dyn=$(printf '%s\n' "$params" | sed -n 2p)
  # shellcheck disable=SC2086
  start_bg jobmanager java $jvm $JAVA17_OPTS -Dlog4j2.configurationFile="$STACK_DIR/flink-conf/log4j.xml" \
    -cp "$FLINK_LIB/*" org.apache.flink.runtime.entrypoint.StandaloneSessionClusterEntrypoint --configDir "$STACK_DIR/flink-conf" $dyn
}

start_taskmanager() { # index
  local n=$1 params jvm dyn conf_opts
  params=$(flink_resource_params GET_TM_RESOURCE_PARAMS)
  jvm=$(printf '%s\n' "$params" | sed -n 1p)
  dyn=$(printf '%s\n' "$params" | sed -n 2p)
  conf_opts=$(sed -n 's/^env\.java\.opts\.taskmanager: //p' "$STACK_DIR/flink-conf/config.yaml")
  # shellcheck disable=SC2086 # word splitting of the flag lists is intended
  start_bg "taskmanager-$n" "$TASKMANAGER_JAVA" $jvm $JAVA17_OPTS $conf_opts ${TASKMANAGER_JAVA_OPTS//@N@/$n} -Dlog4j2.configurationFile="$STACK_DIR/flink-conf/log4j.xml" \
    -cp "$FLINK_LIB/*" org.apache.flink.runtime.taskexecutor.TaskManagerRunner --configDir "$STACK_DIR/flink-conf" $dyn
}

registered_taskmanagers() {
  curl -sf "http://127.0.0.1:$FLINK_REST_PORT/taskmanagers" | grep -o '"id"' | wc -l
}

cmd_up() {
  command -v java >/dev/null || die "java is required (JDK 17)"
  command -v "$TASKMANAGER_JAVA" >/dev/null \
    || die "TASKMANAGER_JAVA=$TASKMANAGER_JAVA is not a java that can be run; name a JDK's bin/java, or unset it for the java on the PATH"
  command -v curl >/dev/null || die "curl is required: apt-get install curl"
  command -v redis-server >/dev/null && command -v influxd >/dev/null \
    || die "redis-server and influxd are required: run scripts/install-deps.sh"
  for name in redis influxdb kafka jobmanager; do
    alive "$name" && die "$name is already running (pid $(pid_of "$name")); scripts/stack.sh down first"
  done
  require_free_port "$REDIS_PORT" redis REDIS_PORT
  require_free_port "$INFLUX_PORT" "influxdb http" INFLUX_PORT
  require_free_port "$INFLUX_RPC_PORT" "influxdb rpc" INFLUX_RPC_PORT
  require_free_port "$KAFKA_PORT" kafka KAFKA_PORT
  require_free_port "$KAFKA_CONTROLLER_PORT" "kafka controller" KAFKA_CONTROLLER_PORT
  require_free_port "$FLINK_REST_PORT" "flink rest" FLINK_REST_PORT
  require_free_port "$FLINK_RPC_PORT" "flink rpc" FLINK_RPC_PORT
  require_free_port "$FLINK_BLOB_PORT" "flink blob" FLINK_BLOB_PORT
  ensure_built
  mkdir -p "$PIDS" "$LOGS" "$STACK_DIR/redis" "$STACK_DIR/influxdb"

  start_redis
  say "influxdb on 127.0.0.1:$INFLUX_PORT"
  cat > "$STACK_DIR/influxdb/influxdb.conf" <<EOF
reporting-disabled = true
bind-address = "127.0.0.1:$INFLUX_RPC_PORT"
[meta]
  dir = "$STACK_DIR/influxdb/meta"
[data]
  dir = "$STACK_DIR/influxdb/data"
  wal-dir = "$STACK_DIR/influxdb/wal"
  query-log-enabled = false
[http]
  bind-address = "127.0.0.1:$INFLUX_PORT"
  log-enabled = false
[continuous_queries]
  enabled = false
EOF
  start_influxdb

  say "kafka (KRaft) on 127.0.0.1:$KAFKA_PORT"
  mkdir -p "$STACK_DIR/kafka"
  cat > "$STACK_DIR/kafka/server.properties" <<EOF
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:$KAFKA_CONTROLLER_PORT
listeners=PLAINTEXT://127.0.0.1:$KAFKA_PORT,CONTROLLER://127.0.0.1:$KAFKA_CONTROLLER_PORT
advertised.listeners=PLAINTEXT://127.0.0.1:$KAFKA_PORT
controller.listener.names=CONTROLLER
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
inter.broker.listener.name=PLAINTEXT
log.dirs=$STACK_DIR/kafka/data
num.partitions=4
auto.create.topics.enable=false
offsets.topic.replication.factor=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
group.initial.rebalance.delay.ms=0
EOF
  if [ ! -f "$STACK_DIR/kafka/data/meta.properties" ]; then
    local cluster_id
    cluster_id=$(java -cp "$KAFKA_LIB/*" kafka.tools.StorageTool random-uuid 2>/dev/null | tail -1)
    java -cp "$KAFKA_LIB/*" kafka.tools.StorageTool format -t "$cluster_id" -c "$STACK_DIR/kafka/server.properties" \
      > "$LOGS/kafka-format.log" 2>&1 || die "formatting Kafka's storage failed; see $LOGS/kafka-format.log"
  fi
  cat > "$STACK_DIR/kafka/log4j2.xml" <<EOF
<Configuration status="WARN">
  <Appenders><Console name="out" target="SYSTEM_OUT"><PatternLayout pattern="%d %-5level %c{1} - %msg%n"/></Console></Appenders>
  <Loggers>
    <Logger name="kafka.server.KafkaRaftServer" level="INFO"/>
    <Root level="WARN"><AppenderRef ref="out"/></Root>
  </Loggers>
</Configuration>
EOF
  start_bg kafka java -Xmx512m -Dlog4j2.configurationFile="$STACK_DIR/kafka/log4j2.xml" -cp "$KAFKA_LIB/*" \
    kafka.Kafka "$STACK_DIR/kafka/server.properties"

  say "flink jobmanager, REST on 127.0.0.1:$FLINK_REST_PORT"
  flink_conf
  start_jobmanager
  for n in $(seq 1 "$TASKMANAGERS"); do
    say "flink taskmanager $n"
    start_taskmanager "$n"
  done

  wait_for 20 redis port_open "$REDIS_PORT"
  wait_for_influxdb
  curl -sf -o /dev/null -XPOST "http://127.0.0.1:$INFLUX_PORT/query" --data-urlencode "q=CREATE DATABASE \"$INFLUX_DB\""
  wait_for 60 kafka port_open "$KAFKA_PORT"
  for topic in "$EVENTS_TOPIC" "$DLQ_TOPIC" "$RECAPS_TOPIC" "$ALERTS_TOPIC"; do
    local partitions=4
    [ "$topic" = "$EVENTS_TOPIC" ] || partitions=1
    java -cp "$KAFKA_LIB/*" org.apache.kafka.tools.TopicCommand --bootstrap-server "127.0.0.1:$KAFKA_PORT" \
      --create --if-not-exists --topic "$topic" --partitions "$partitions" --replication-factor 1 >> "$LOGS/topics.log" 2>&1 \
      || die "creating topic $topic failed; see $LOGS/topics.log"
  done
  wait_for 60 "flink jobmanager" curl -sf -o /dev/null "http://127.0.0.1:$FLINK_REST_PORT/overview"
  wait_for 90 "flink taskmanagers" test_taskmanagers "$TASKMANAGERS"
  say "up: kafka 127.0.0.1:$KAFKA_PORT (topics $EVENTS_TOPIC, $DLQ_TOPIC, $RECAPS_TOPIC, $ALERTS_TOPIC), redis 127.0.0.1:$REDIS_PORT, influxdb http://127.0.0.1:$INFLUX_PORT (db $INFLUX_DB), flink http://127.0.0.1:$FLINK_REST_PORT; logs in $LOGS"
}

test_taskmanagers() { [ "$(registered_taskmanagers)" -ge "$1" ]; }

cmd_submit() {
  [ -f "$JOB_JAR" ] || ensure_built
  port_open "$FLINK_REST_PORT" || die "no Flink REST API on 127.0.0.1:$FLINK_REST_PORT: scripts/stack.sh up first"
  local upload jar_id args json run restore=""
  if [ "${1:-}" = "--from" ]; then
    [ -n "${2:-}" ] || die "--from needs the path of a savepoint or retained checkpoint"
    restore=",\"savepointPath\":\"$2\""
    shift 2
  fi
  upload=$(curl -sf -X POST -H "Expect:" -F "jarfile=@$JOB_JAR" "http://127.0.0.1:$FLINK_REST_PORT/jars/upload") \
    || die "uploading $JOB_JAR to Flink failed"
  jar_id=$(printf '%s' "$upload" | sed -n 's/.*"filename":"[^"]*\/\([^"/]*\)".*/\1/p')
  [ -n "$jar_id" ] || die "Flink did not return a jar id: $upload"
  args=(--kafka.bootstrap-servers "127.0.0.1:$KAFKA_PORT" --kafka.topic "$EVENTS_TOPIC" --kafka.dlq-topic "$DLQ_TOPIC"
        --kafka.recaps-topic "$RECAPS_TOPIC" --kafka.alerts-topic "$ALERTS_TOPIC"
        --redis.uri "redis://127.0.0.1:$REDIS_PORT" --influx.url "http://127.0.0.1:$INFLUX_PORT" --influx.database "$INFLUX_DB"
        --console false "$@")
  json=$(printf '%s\n' "${args[@]}" | sed 's/\\/\\\\/g; s/"/\\"/g; s/.*/"&"/' | paste -sd, -)
  run=$(curl -sf -X POST -H 'Content-Type: application/json' \
    -d "{\"entryClass\":\"io.livepulse.jobs.LiveMetricsJob\",\"programArgsList\":[$json]$restore}" \
    "http://127.0.0.1:$FLINK_REST_PORT/jars/$jar_id/run") || die "Flink refused to run the job; see $LOGS/jobmanager.log"
  printf '%s\n' "$run" | sed -n 's/.*"jobid":"\([0-9a-f]*\)".*/\1/p'
}

cmd_pace() {
  [ -f "$JOB_JAR" ] || ensure_built
  port_open "$FLINK_REST_PORT" || die "no Flink REST API on 127.0.0.1:$FLINK_REST_PORT: scripts/stack.sh up first"
  ! alive checkpoint-pacer || die "the pacer runs already (pid $(pid_of checkpoint-pacer)); scripts/stack.sh pace-stop first"
  mkdir -p "$PIDS" "$LOGS"
  start_bg checkpoint-pacer java -cp "$JOB_JAR" io.livepulse.jobs.pacer.CheckpointPacerCli \
    --rest "http://127.0.0.1:$FLINK_REST_PORT" "$@"
  sleep 1
  alive checkpoint-pacer || die "the pacer stopped at once: $(tail -n 5 "$LOGS/checkpoint-pacer.log")"
  say "checkpoint pacer started (pid $(pid_of checkpoint-pacer)); its log: $LOGS/checkpoint-pacer.log"
}

cmd_status() {
  local any=0
  for f in "$PIDS"/*.pid; do
    [ -e "$f" ] || continue
    any=1
    local name pid
    name=$(basename "$f" .pid)
    pid=$(cat "$f")
    if kill -0 "$pid" 2>/dev/null; then echo "$name: running (pid $pid)"; else echo "$name: dead (pid $pid)"; fi
  done
  [ $any -eq 1 ] || echo "nothing started (no pids in $PIDS)"
  if port_open "$FLINK_REST_PORT"; then
    echo "flink: $(registered_taskmanagers) taskmanager(s) registered; jobs: $(curl -sf "http://127.0.0.1:$FLINK_REST_PORT/jobs/overview" | grep -o '"state":"[A-Z]*"' | sort | uniq -c | tr '\n' ' ')"
  fi
}

stop_pid() { # name
  local pid
  pid=$(pid_of "$1")
  [ -n "$pid" ] || return 0
  if kill -0 "$pid" 2>/dev/null; then
    kill -CONT "$pid" 2>/dev/null || true
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
    if kill -0 "$pid" 2>/dev/null; then
      say "$1 (pid $pid) did not stop in 10 s; killing it"
      kill -9 "$pid" 2>/dev/null || true
    fi
  fi
  rm -f "$PIDS/$1.pid"
}

cmd_down() {
  [ -d "$PIDS" ] || { say "nothing to stop"; return 0; }
  for f in "$PIDS"/taskmanager-*.pid; do [ -e "$f" ] && stop_pid "$(basename "$f" .pid)"; done
  for name in checkpoint-pacer jobmanager kafka influxdb redis; do stop_pid "$name"; done
  say "down"
}

cmd_logs() {
  if [ -n "${1:-}" ]; then tail -n 100 "$LOGS/$1.log"; else tail -n 20 "$LOGS"/*.log; fi
}

cmd_taskmanager_start() {
  local n=1
  while [ -f "$PIDS/taskmanager-$n.pid" ]; do n=$((n + 1)); done
  start_taskmanager "$n"
  echo "taskmanager-$n"
}

cmd_taskmanager_kill() {
  local pid
  pid=$(pid_of "taskmanager-$1")
  [ -n "$pid" ] || die "no taskmanager-$1"
  kill -9 "$pid"
  rm -f "$PIDS/taskmanager-$1.pid"
  echo "killed taskmanager-$1 (pid $pid)"
}

cmd_jobmanager_kill() {
  local pid
  pid=$(pid_of jobmanager)
  [ -n "$pid" ] || die "no jobmanager"
  kill -9 "$pid"
  rm -f "$PIDS/jobmanager.pid"
  echo "killed jobmanager (pid $pid)"
}

cmd_jobmanager_start() {
  alive jobmanager && die "the jobmanager is running (pid $(pid_of jobmanager))"
  start_jobmanager
  wait_for 60 "flink jobmanager" curl -sf -o /dev/null "http://127.0.0.1:$FLINK_REST_PORT/overview"
  # the TaskManagers that survived register again on their own
  wait_for 90 "flink taskmanagers" test_taskmanagers "$(ls "$PIDS"/taskmanager-*.pid 2>/dev/null | wc -l)"
  echo "jobmanager started (pid $(pid_of jobmanager))"
}

service_name() { # redis|influxdb
  case "${1:-}" in
    redis|influxdb) echo "$1" ;;
    *) die "expected redis or influxdb, got '${1:-}'" ;;
  esac
}

pausable_name() { # redis|influxdb|taskmanager-N
  case "${1:-}" in
    taskmanager-[0-9]*) echo "$1" ;;
    *) service_name "${1:-}" ;;
  esac
}

cmd_signal() { # STOP|CONT, redis|influxdb|taskmanager-N
  local name pid
  name=$(pausable_name "$2")
  pid=$(pid_of "$name")
  [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null || die "$name is not running"
  kill -"$1" "$pid"
  echo "$name (pid $pid): SIG$1"
}

cmd_service_start() {
  local name
  name=$(service_name "$1")
  alive "$name" && die "$name is running (pid $(pid_of "$name"))"
  if [ "$name" = redis ]; then
    start_redis
    wait_for 20 redis port_open "$REDIS_PORT"
  else
    start_influxdb
    wait_for_influxdb
  fi
  echo "$name started (pid $(pid_of "$name"))"
}

rest_get() { curl -sf "http://127.0.0.1:$FLINK_REST_PORT$1" || die "Flink REST $1 failed: is the stack up and the job id right?"; }

cmd_stop_job() { # job id
  local job=${1:?job id} trigger status location
  trigger=$(curl -sf -X POST -H 'Content-Type: application/json' -d '{"drain":false}' \
    "http://127.0.0.1:$FLINK_REST_PORT/jobs/$job/stop" | sed -n 's/.*"request-id":"\([0-9a-f]*\)".*/\1/p')
  [ -n "$trigger" ] || die "Flink did not accept stop-with-savepoint for job $job"
  for _ in $(seq 1 600); do
    status=$(rest_get "/jobs/$job/savepoints/$trigger")
    case "$status" in
      *'"id":"COMPLETED"'*)
        location=$(printf '%s' "$status" | sed -n 's/.*"location":"\([^"]*\)".*/\1/p')
        [ -n "$location" ] || die "the savepoint of job $job failed: $status"
        echo "$location"
        return 0 ;;
    esac
    sleep 0.2
  done
  die "the savepoint of job $job did not complete in 120 s"
}

cmd_last_checkpoint() { # job id: the newest chk-N with metadata in the retained checkpoints
  local job=${1:?job id} d n best=-1
  # a chk-N without _metadata is one the JobManager never finished
  for d in "$STACK_DIR/checkpoints/$job"/chk-*; do
    [ -f "$d/_metadata" ] || continue
    n=${d##*/chk-}
    [ "$n" -gt "$best" ] && best=$n
  done
  [ "$best" -ge 0 ] || die "no completed checkpoint of job $job in $STACK_DIR/checkpoints"
  echo "file://$STACK_DIR/checkpoints/$job/chk-$best"
}

case "${1:-}" in
  up) cmd_up ;;
  down) cmd_down ;;
  status) cmd_status ;;
  submit) shift; cmd_submit "$@" ;;
  logs) shift; cmd_logs "${1:-}" ;;
  taskmanager-start) cmd_taskmanager_start ;;
  taskmanager-kill) shift; cmd_taskmanager_kill "${1:?taskmanager number}" ;;
  jobmanager-kill) cmd_jobmanager_kill ;;
  jobmanager-start) cmd_jobmanager_start ;;
  pause) cmd_signal STOP "${2:-}" ;;
  resume) cmd_signal CONT "${2:-}" ;;
  stop) stop_pid "$(service_name "${2:-}")"; echo "${2} stopped" ;;
  start) cmd_service_start "${2:-}" ;;
  stop-job) shift; cmd_stop_job "${1:-}" ;;
  last-checkpoint) shift; cmd_last_checkpoint "${1:-}" ;;
  pace) shift; cmd_pace "$@" ;;
  pace-stop) stop_pid checkpoint-pacer; echo "checkpoint pacer stopped" ;;
  *) sed -n '2,/^set -e/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 2 ;;
esac
