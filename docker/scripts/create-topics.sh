#!/bin/bash
# Creates every Trailhound topic with the partitions and settings of io.trailhound.topic.Topics (the deploy module's
# ComposeFileTest fails when this list and Topics differ). Idempotent: existing topics are left as they are.
# Usage: create-topics.sh BOOTSTRAP REPLICATION_FACTOR
set -euo pipefail
bootstrap="${1:?bootstrap servers}"
replication="${2:-1}"

create() {
  local name="$1" partitions="$2"
  shift 2
  local configs=()
  for config in "$@"; do
    configs+=(--config "${config}")
  done
  /opt/kafka/bin/kafka-topics.sh --bootstrap-server "${bootstrap}" --create --if-not-exists --topic "${name}" \
    --partitions "${partitions}" --replication-factor "${replication}" "${configs[@]}"
}

# name partitions config...
create trailhound.cloudtrail.raw 6 cleanup.policy=delete retention.ms=7776000000
create trailhound.guardduty.raw 3 cleanup.policy=delete retention.ms=7776000000
create trailhound.iam.snapshots 1 cleanup.policy=compact
create trailhound.events 6 cleanup.policy=delete retention.ms=2592000000
create trailhound.lineage 6 cleanup.policy=compact
create trailhound.alerts 3 cleanup.policy=delete retention.ms=31536000000
create trailhound.signals 3 cleanup.policy=delete retention.ms=7776000000
create trailhound.incidents 3 cleanup.policy=compact
create trailhound.access.summaries 1 cleanup.policy=compact
create trailhound.response.approvals 3 cleanup.policy=delete retention.ms=2592000000
create trailhound.response.actions 3 cleanup.policy=delete retention.ms=34560000000
create trailhound.deadletter 1 cleanup.policy=delete retention.ms=2592000000
echo "trailhound: topics ready"
