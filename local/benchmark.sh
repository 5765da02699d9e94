#!/usr/bin/env bash
# Pipeline benchmark: N tasks (default 200) at C concurrent (default 16) through the local runtime.
# Usage: local/benchmark.sh [N] [C] [mcp|none]     (prints throughput, p50/p99, transitions and DynamoDB requests per step)
set -euo pipefail
cd "$(dirname "$0")/.."
./mvnw -q -B install -DskipTests
./mvnw -q -B -pl local dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/benchmark.classpath
exec java -Xmx2g -cp "local/target/test-classes:local/target/classes:$(cat local/target/benchmark.classpath)" \
  io.stepwise.local.bench.PipelineBenchmark "${1:-200}" "${2:-16}" "${3:-mcp}"
