package io.trailhound.respond.runbook;

import java.time.Instant;
import java.time.temporal.ChronoUnit;

/** The inline deny policies containment attaches, as the JSON documents IAM takes. */
public final class DenyPolicies {

    /** Name IAM's console uses for the revoke-sessions policy on roles; we use it on users too. */
    public static final String REVOKE_OLDER_SESSIONS = "AWSRevokeOlderSessions";
    /** Prefix of the per-instance deny on a role; the instance id follows. */
    public static final String DENY_INSTANCE_PREFIX = "TrailhoundDenyInstance-";

    private DenyPolicies() {
    }

    /** Denies everything to credentials issued before {@code cutoff} (second precision, UTC). */
    public static String tokensIssuedBefore(Instant cutoff) {
        return "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Deny\",\"Action\":[\"*\"],\"Resource\":[\"*\"],"
            + "\"Condition\":{\"DateLessThan\":{\"aws:TokenIssueTime\":\"" + cutoff(cutoff) + "\"}}}]}";
    }

    /** Denies everything to the role's sessions made from one instance's credentials. */
    public static String sourceInstance(String instanceArn) {
        return "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Deny\",\"Action\":[\"*\"],\"Resource\":[\"*\"],"
            + "\"Condition\":{\"StringEquals\":{\"ec2:SourceInstanceARN\":\"" + instanceArn + "\"}}}]}";
    }

    /**
     * The cut-off as IAM's date format writes it, e.g. {@code 2026-11-28T00:10:01Z}: rounded up to the next whole second, so
     * a token minted earlier within the same second is denied too.
     */
    public static String cutoff(Instant cutoff) {
        Instant seconds = cutoff.truncatedTo(ChronoUnit.SECONDS);
        return (seconds.isBefore(cutoff) ? seconds.plusSeconds(1) : seconds).toString();
    }
}
