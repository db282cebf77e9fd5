package io.trailhound.detect.topology;

import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.trailhound.access.AccessSummary;
import io.trailhound.avro.Alert;
import io.trailhound.avro.Principal;
import io.trailhound.serde.BoundedCache;

/**
 * An alert's principal's access summary (#15), looked up in the global store of {@code trailhound.access.summaries}: one
 * get by the principal's IAM ARN (the user, or an assumed-role session's role: the normalizer's durable ARN, else the session
 * issuer, else the role named in the session ARN), no graph search. The decoded summary is cached per principal with the
 * stored text it came from, so an alert pays the store get and a comparison of that text, not a JSON parse and an Avro
 * build; a summary the access stage republished is decoded again on its first use.
 */
final class AccessLookup {

    private static final Logger LOG = LoggerFactory.getLogger(AccessLookup.class);

    /** Principals whose decoded summary is kept (least recently used beyond). */
    static final int CACHED_PRINCIPALS = 10_000;

    private final KeyValueStore<String, String> summaries;
    private final BoundedCache<String, Decoded> decoded = new BoundedCache<>(CACHED_PRINCIPALS);
    private long decodes;

    /** A summary as stored and as decoded (null: unreadable, logged once per stored text). */
    private record Decoded(String json, io.trailhound.avro.AccessSummary summary) {
    }

    AccessLookup(KeyValueStore<String, String> summaries) {
        this.summaries = summaries;
    }

    /** How many stored summaries this lookup decoded so far (the cache's misses). */
    long decodes() {
        return decodes;
    }

    /** The summary of {@code alert}'s principal, or null when the store does not know it. */
    io.trailhound.avro.AccessSummary summary(Alert alert) {
        String arn = iamArn(alert.getPrincipal());
        String json = arn == null ? null : summaries.get(arn);
        if (json == null) {
            return null;
        }
        Decoded known = decoded.get(arn);
        if (known != null && known.json().equals(json)) {
            return known.summary();
        }
        decodes++;
        io.trailhound.avro.AccessSummary summary;
        try {
            summary = toAvro(AccessSummary.fromJson(json));
        } catch (IllegalArgumentException e) {
            LOG.warn("unreadable access summary of {}: {}", arn, e.getMessage());
            summary = null;
        }
        decoded.put(arn, new Decoded(json, summary));
        return summary;
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
