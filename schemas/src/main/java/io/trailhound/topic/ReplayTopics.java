package io.trailhound.topic;

import io.trailhound.avro.Alert;
import io.trailhound.avro.CloudTrailEvent;
import io.trailhound.avro.Incident;

/**
 * The output topics of one replay run ({@code trailhound.replay.<id>.*}): a replay writes here, never to the live topics, so
 * the responder cannot see replayed alerts even if a record's mode were wrong.
 *
 * @param replayId  the replay run's id
 * @param events    normalized events of the replay
 * @param lineage   credential lineage built by the replay (a replay must not write the live lineage)
 * @param alerts    alerts raised by the replay
 * @param signals   signals (hits below the alerts' severity) raised by the replay
 * @param incidents incidents built by the replay
 */
public record ReplayTopics(String replayId, Topic<String, CloudTrailEvent> events, Topic<String, String> lineage,
        Topic<String, Alert> alerts, Topic<String, Alert> signals,
        Topic<String, Incident> incidents) {
}
