package io.trailhound.serde;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import io.trailhound.avro.Alert;
import io.trailhound.avro.ChainLink;
import io.trailhound.avro.Entities;
import io.trailhound.avro.Incident;
import io.trailhound.avro.IncidentStatus;
import io.trailhound.avro.Mode;
import io.trailhound.avro.Principal;
import io.trailhound.avro.PrincipalType;
import io.trailhound.avro.RuleKind;
import io.trailhound.avro.Severity;

/** Realistic records for serde tests, with every kind of field (unions, arrays, maps, enums, timestamps) set. */
public final class TestRecords {

    private TestRecords() {
    }

    /** An alert about an assumed-role principal with a two-link lineage chain. */
    public static Alert alert(String id) {
        Principal principal = Principal.newBuilder()
                .setType(PrincipalType.AssumedRole)
                .setPrincipalKey("111122223333:arn:aws:iam::111122223333:role/Admin")
                .setArn("arn:aws:iam::111122223333:role/Admin")
                .setSessionArn("arn:aws:sts::111122223333:assumed-role/Admin/alice")
                .setAccountId("111122223333")
                .setSessionName("alice")
                .setAccessKeyId("ASIAEXAMPLE0000001")
                .setMfaAuthenticated(true)
                .setSessionCreationTime(Instant.parse("2025-03-01T09:00:00Z"))
                .build();
        return Alert.newBuilder()
                .setAlertId(id)
                .setDedupKey("TH-CT-001|" + principal.getPrincipalKey())
                .setRuleId("TH-CT-001")
                .setRuleKind(RuleKind.SIGNATURE)
                .setTitle("CloudTrail logging stopped")
                .setDescription("StopLogging was called on trail main.")
                .setSeverity(Severity.HIGH)
                .setMitreTactic("Defense Evasion")
                .setMitreTechniqueId("T1562.008")
                .setMitreTechniqueName("Impair Defenses: Disable or Modify Cloud Logs")
                .setPrincipal(principal)
                .setChain(List.of(
                        ChainLink.newBuilder().setPrincipalArn("arn:aws:iam::111122223333:user/alice").setAccountId("111122223333")
                                .setAccessKeyId("AKIAEXAMPLE0000001").build(),
                        ChainLink.newBuilder().setPrincipalArn("arn:aws:iam::111122223333:role/Admin").setAccountId("111122223333")
                                .setAccessKeyId("ASIAEXAMPLE0000001").setMintedByEventName("AssumeRole")
                                .setMintedByEventId("e-0").setMintedAt(Instant.parse("2025-03-01T09:00:00Z")).build()))
                .setAccountId("111122223333")
                .setRegion("eu-west-1")
                .setEntities(Entities.newBuilder().setAccessKeyIds(List.of("ASIAEXAMPLE0000001")).setIpAddresses(List.of("203.0.113.9"))
                        .setOther(Map.of("trailArns", List.of("arn:aws:cloudtrail:eu-west-1:111122223333:trail/main"))).build())
                .setEventIds(List.of("e-1"))
                .setEvidence("StopLogging name=main")
                .setBaselineContext("first time in 43 days of history")
                .setRunbook("cloudtrail-restore")
                .setFirstSeen(Instant.parse("2025-03-01T09:05:00Z"))
                .setLastSeen(Instant.parse("2025-03-01T09:05:00Z"))
                .setDetectedAt(Instant.parse("2025-03-01T09:05:00.123Z"))
                .setMode(Mode.LIVE)
                .build();
    }

    /** An open incident grouping one alert. */
    public static Incident incident(String id) {
        Alert alert = alert("a-" + id);
        return Incident.newBuilder()
                .setIncidentId(id)
                .setStatus(IncidentStatus.OPEN)
                .setSeverity(Severity.CRITICAL)
                .setTitle("Logging disabled by Admin/alice")
                .setPrincipal(alert.getPrincipal())
                .setAccountIds(List.of("111122223333"))
                .setRegions(List.of("eu-west-1"))
                .setStartedAt(alert.getFirstSeen())
                .setLastActivityAt(alert.getLastSeen())
                .setMode(Mode.LIVE)
                .build();
    }
}
