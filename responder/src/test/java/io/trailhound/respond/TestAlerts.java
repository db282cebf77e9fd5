package io.trailhound.respond;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import io.trailhound.avro.Alert;
import io.trailhound.avro.Entities;
import io.trailhound.avro.Mode;
import io.trailhound.avro.Principal;
import io.trailhound.avro.PrincipalType;
import io.trailhound.serde.TrustedAvroClasses;

/** Alerts for tests: live, fresh, in account 111122223333 and us-east-1 unless changed. */
public final class TestAlerts {

    public static final String ACCOUNT = "111122223333";
    public static final Instant NOW = Instant.parse("2026-11-28T00:10:00.250Z");

    static {
        // Builders fill in defaults through SpecificData, which refuses classes Avro does not trust.
        TrustedAvroClasses.install();
    }

    private TestAlerts() {
    }

    /** A live alert about IAM user {@code mallory} using key AKIAEXAMPLEKEY1 (rule id as GuardDuty names it). */
    public static Alert.Builder iamUser() {
        return base("UnauthorizedAccess:IAMUser/MaliciousIPCaller")
            .setPrincipal(Principal.newBuilder().setType(PrincipalType.IAMUser).setPrincipalKey(ACCOUNT + "/mallory")
                .setArn("arn:aws:iam::" + ACCOUNT + ":user/mallory").setAccountId(ACCOUNT).setUserName("mallory")
                .setAccessKeyId("AKIAEXAMPLEKEY1").build())
            .setEntities(Entities.newBuilder().setAccessKeyIds(List.of("AKIAEXAMPLEKEY1")).setUserNames(List.of("mallory")).build());
    }

    /** A live alert about IAM user {@code name} with access key {@code keyId}. */
    public static Alert.Builder iamUser(String name, String keyId) {
        return iamUser().setPrincipal(Principal.newBuilder().setType(PrincipalType.IAMUser).setPrincipalKey(ACCOUNT + "/" + name)
                .setArn("arn:aws:iam::" + ACCOUNT + ":user/" + name).setAccountId(ACCOUNT).setUserName(name).setAccessKeyId(keyId).build())
            .setEntities(Entities.newBuilder().setAccessKeyIds(List.of(keyId)).setUserNames(List.of(name)).build());
    }

    /** A live alert about a session of role {@code app-role}. */
    public static Alert.Builder roleSession(String roleArn, String sessionName) {
        return base("UnauthorizedAccess:IAMUser/TorIPCaller")
            .setPrincipal(Principal.newBuilder().setType(PrincipalType.AssumedRole).setArn(roleArn)
                .setSessionArn("arn:aws:sts::" + ACCOUNT + ":assumed-role/" + roleArn.substring(roleArn.lastIndexOf('/') + 1) + "/"
                    + sessionName)
                .setAccountId(ACCOUNT).setSessionName(sessionName).setAccessKeyId("ASIAEXAMPLEKEY2").build())
            .setEntities(Entities.newBuilder().setRoleArns(List.of(roleArn)).build());
    }

    /** A live cryptomining alert naming {@code instanceIds}. */
    public static Alert.Builder instance(String... instanceIds) {
        return base("CryptoCurrency:EC2/BitcoinTool.B!DNS")
            .setEntities(Entities.newBuilder().setInstanceIds(List.of(instanceIds))
                .setOther(Map.of("findingTypes", List.of("CryptoCurrency:EC2/BitcoinTool.B!DNS"))).build());
    }

    private static Alert.Builder base(String ruleId) {
        return Alert.newBuilder().setAlertId("alert-" + ruleId.hashCode()).setRuleId(ruleId).setIncidentId("inc-1")
            .setAccountId(ACCOUNT).setRegion("us-east-1").setMode(Mode.LIVE)
            .setFirstSeen(NOW.minusSeconds(120)).setLastSeen(NOW.minusSeconds(60)).setDetectedAt(NOW.minusSeconds(55));
    }
}
