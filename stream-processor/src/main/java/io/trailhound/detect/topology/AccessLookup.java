package io.trailhound.detect.topology;

import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.trailhound.access.AccessSummary;
import io.trailhound.avro.Alert;
import io.trailhound.avro.Principal;

/**
 * An alert's principal's access summary (#15), looked up in the global store of {@code trailhound.access.summaries}: one
 * get by the principal's IAM ARN (the user, or an assumed-role session's role: the normalizer's durable ARN, else the session
 * issuer, else the role named in the session ARN), no graph search.
 */
final class AccessLookup {

    private static final Logger LOG = LoggerFactory.getLogger(AccessLookup.class);

    private final KeyValueStore<String, String> summaries;

    AccessLookup(KeyValueStore<String, String> summaries) {
        this.summaries = summaries;
    }

    /** The summary of {@code alert}'s principal, or null when the store does not know it. */
    io.trailhound.avro.AccessSummary summary(Alert alert) {
        String arn = iamArn(alert.getPrincipal());
        String json = arn == null ? null : summaries.get(arn);
        if (json == null) {
            return null;
        }
        try {
            return toAvro(AccessSummary.fromJson(json));
        } catch (IllegalArgumentException e) {
            LOG.warn("unreadable access summary of {}: {}", arn, e.getMessage());
            return null;
        }
    }

    /** The IAM user or role ARN of {@code p}, or null. */
    static String iamArn(Principal p) {
        if (p == null) {
            return null;
        }
        for (String arn : new String[] {p.getArn(), p.getSessionIssuerArn()}) {
            if (arn != null && arn.startsWith("arn:aws:iam::") && (arn.contains(":user/") || arn.contains(":role/"))) {
                return arn;
            }
        }
        String session = p.getSessionArn() != null ? p.getSessionArn() : p.getArn();
        // arn:aws:sts::111122223333:assumed-role/Name/session -> arn:aws:iam::111122223333:role/Name (no path: the session
        // ARN does not carry it)
        if (session != null && session.startsWith("arn:aws:sts::") && session.contains(":assumed-role/")) {
            String[] parts = session.split(":", 6);
            String[] names = parts[5].split("/");
            return names.length >= 2 ? "arn:aws:iam::" + parts[4] + ":role/" + names[1] : null;
        }
        return null;
    }

    static io.trailhound.avro.AccessSummary toAvro(AccessSummary s) {
        return io.trailhound.avro.AccessSummary.newBuilder()
            .setPrincipalArn(s.principal())
            .setAdminEquivalent(s.adminEquivalent())
            .setAdminConfidence(s.adminConfidence())
            .setReachableAccountCount(s.otherAccounts().size())
            .setReachableAccounts(s.accounts())
            .setRiskScore(s.riskScore())
            .setTopAdminRoles(s.topAdminRoles())
            .setSnapshotEpoch(java.time.Instant.ofEpochMilli(s.snapshotEpoch()))
            .build();
    }
}
