package io.trailhound.respond.runbook;

import java.util.Optional;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.trailhound.avro.Alert;

/** Reads a bucket's prior policy from an alert's evidence, when the detection recorded it there as JSON. */
final class EvidencePolicies {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private EvidencePolicies() {
    }

    /**
     * The prior policy of {@code bucket}: evidence {@code {"priorBucketPolicies": {"bucket": policy}}}, or
     * {@code {"priorBucketPolicy": policy}} when the alert names only this bucket; a policy is a JSON object or its text.
     */
    static Optional<String> prior(Alert alert, String bucket) {
        String evidence = alert.getEvidence();
        if (evidence == null || !evidence.trim().startsWith("{")) {
            return Optional.empty();
        }
        try {
            JsonNode node = MAPPER.readTree(evidence);
            JsonNode policy = node.path("priorBucketPolicies").path(bucket);
            if (policy.isMissingNode() && alert.getEntities().getBuckets().size() == 1) {
                policy = node.path("priorBucketPolicy");
            }
            if (policy.isObject()) {
                return Optional.of(MAPPER.writeValueAsString(policy));
            }
            return policy.isTextual() && policy.asText().trim().startsWith("{") ? Optional.of(policy.asText()) : Optional.empty();
        } catch (JsonProcessingException e) {
            return Optional.empty();
        }
    }
}
