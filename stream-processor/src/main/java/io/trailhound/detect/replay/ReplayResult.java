package io.trailhound.detect.replay;

import java.time.Duration;

import io.trailhound.topic.ReplayTopics;

/**
 * What a replay run did.
 *
 * @param replayId      the replay's id
 * @param applicationId the Kafka Streams application id it ran under ({@code trailhound-replay-<id>})
 * @param topics        the topics it wrote (alerts, signals, incidents, events, lineage); dead letters in {@code deadLetterTopic}
 * @param deadLetterTopic topic of the raw records it rejected
 * @param recordsRead   raw records consumed (CloudTrail and GuardDuty, before the time range)
 * @param deadLettered  raw records rejected
 * @param alerts        distinct alerts on the replay's alert topic
 * @param signals       distinct signals (rule hits below the alerts' severity) on the replay's signal topic
 * @param incidents     distinct incidents on the replay's incident topic
 * @param elapsed       wall-clock time of the run
 * @param completed     true when it consumed everything up to the end offsets captured at start; false when it timed out
 */
public record ReplayResult(String replayId, String applicationId, ReplayTopics topics, String deadLetterTopic, long recordsRead,
                           long deadLettered, long alerts, long signals, long incidents, Duration elapsed, boolean completed) {
}
