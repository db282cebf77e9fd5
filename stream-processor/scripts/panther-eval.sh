#!/usr/bin/env bash
# Reproduces the acceptance measurement of issue 4 on the Panther corpus: builds the scan input with panther-eval, runs
# `trailhound scan` (the live detection topology in TopologyTestDriver) over it and scores the alerts.
# Usage (from the reactor root, after `mvn -o -f stream-processor/pom.xml install -DskipTests` and `mvn -o -f cli/pom.xml package`):
#   stream-processor/scripts/panther-eval.sh [OUTDIR]
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
out="${1:-/tmp/trailhound-panther-eval}"
eval_tool="$root/../shared/tools/panther-eval"
jar="$root/cli/target/trailhound-cli.jar"
[[ -x "$eval_tool" ]] || { echo "panther-eval not found at $eval_tool" >&2; exit 2; }
[[ -f "$jar" ]] || { echo "build the cli first: mvn -o -f cli/pom.xml package -DskipTests" >&2; exit 2; }
"$eval_tool" build "$out"
java -jar "$jar" scan "$out/input.jsonl" > "$out/alerts.jsonl"
"$eval_tool" score "$out" "$out/alerts.jsonl"
