package io.trailhound.respond.runbook;

import java.util.List;
import java.util.Objects;

/**
 * Optional forensic and containment refinements of the runbooks, from configuration.
 *
 * @param quarantineInstanceProfileArn instance profile (whose role denies everything) that replaces a compromised
 *                                     instance's profile; empty: the profile is disassociated
 * @param forensicAccountId            account the incident snapshots are shared with (createVolumePermission); empty: none
 * @param memoryCaptureDocument        SSM document run on a compromised instance to capture memory/volatile state into the
 *                                     evidence bucket; empty: no capture
 * @param evidenceRetentionDays        Object Lock retention of evidence objects, in days; 0: no per-object retention
 * @param objectLockMode               Object Lock mode of evidence objects, COMPLIANCE or GOVERNANCE
 * @param trustedAccountIds            accounts a snapshot, AMI or bucket may stay shared with besides the owner
 */
public record ForensicSettings(String quarantineInstanceProfileArn, String forensicAccountId, String memoryCaptureDocument,
                               int evidenceRetentionDays, String objectLockMode, List<String> trustedAccountIds) {

    /** Checks and copies the values. */
    public ForensicSettings {
        Objects.requireNonNull(quarantineInstanceProfileArn, "quarantineInstanceProfileArn");
        Objects.requireNonNull(forensicAccountId, "forensicAccountId");
        Objects.requireNonNull(memoryCaptureDocument, "memoryCaptureDocument");
        Objects.requireNonNull(objectLockMode, "objectLockMode");
        trustedAccountIds = List.copyOf(trustedAccountIds);
    }

    /** The defaults of {@code ResponderConfig}: disassociate profiles, share nothing, no memory capture, 365 days COMPLIANCE. */
    public static ForensicSettings defaults() {
        return new ForensicSettings("", "", "", 365, "COMPLIANCE", List.of());
    }
}
