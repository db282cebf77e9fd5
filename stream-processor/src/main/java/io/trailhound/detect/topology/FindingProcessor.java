package io.trailhound.detect.topology;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

import io.trailhound.avro.AccessKeyDetails;
import io.trailhound.avro.Alert;
import io.trailhound.avro.ChainLink;
import io.trailhound.avro.Entities;
import io.trailhound.avro.GuardDutyFinding;
import io.trailhound.avro.Mode;
import io.trailhound.avro.Principal;
import io.trailhound.avro.PrincipalType;
import io.trailhound.avro.RuleKind;
import io.trailhound.detect.lineage.ChainCodec;

/**
 * Raises one alert per GuardDuty finding (sample findings excluded); a repeat of a finding with a higher count updates that
 * alert (same alert id, new count) instead of raising another, and an unchanged repeat is dropped. A finding on an access key
 * names the key's owner as the alert's principal, with the key's credential chain when the lineage store knows the key, so
 * the incident stage correlates it with CloudTrail alerts of the same principal chain, key or instance. A key of EC2 instance
 * credentials names its instance only in the role session name ({@code principalId} {@code AROA...:i-0123...}): that
 * instance goes into the alert's entities too (#14), so an instance-credential exfiltration joins the instance's CloudTrail
 * alerts and the runbooks find the instance to contain.
 */
final class FindingProcessor implements Processor<String, GuardDutyFinding, String, Alert> {

    static final String STORE = "finding-store";
    static final String RULE_ID = "TH-GD-001";
    /** An assumed role's principal id: the role's unique id, a colon, the session name. */
    private static final Pattern ROLE_SESSION = Pattern.compile("AROA[A-Z0-9]+:(.+)");
    /** EC2 names the role session of instance-profile credentials after the instance. */
    private static final Pattern INSTANCE_ID = Pattern.compile("i-[0-9a-f]{8,17}");

    private final Mode mode;
    private ProcessorContext<String, Alert> context;
    private KeyValueStore<String, Long> counts;
    private KeyValueStore<String, String> lineage;

    FindingProcessor(Mode mode) {
        this.mode = mode;
    }

    @Override
    public void init(ProcessorContext<String, Alert> context) {
        this.context = context;
        this.counts = context.getStateStore(STORE);
        this.lineage = context.getStateStore(DetectionTopology.LINEAGE_STORE);
    }

    @Override
    public void process(Record<String, GuardDutyFinding> record) {
        GuardDutyFinding f = record.value();
        Long seen = counts.get(f.getFindingId());
        if (f.getSample() || seen != null && seen >= f.getCount()) {
            return;
        }
        counts.put(f.getFindingId(), f.getCount());
        Principal principal = principal(f);
        String alertId = UUID.nameUUIDFromBytes((RULE_ID + "|" + f.getFindingId()).getBytes(StandardCharsets.UTF_8)).toString();
        Alert alert = Alert.newBuilder()
                .setAlertId(alertId)
                .setDedupKey(RULE_ID + "|" + f.getFindingId())
                .setRuleId(RULE_ID)
                .setRuleKind(RuleKind.CORRELATION)
                .setTitle("GuardDuty finding: " + f.getTitle())
                .setDescription(f.getDescription())
                .setSeverity(f.getSeverityLabel())
                .setPrincipal(principal)
                .setChain(chain(f, principal))
                .setFindingTypes(List.of(f.getType()))
                .setAccountId(f.getAccountId())
                .setRegion(f.getRegion())
                .setEntities(entities(f))
                .setFindingIds(List.of(f.getFindingId()))
                .setEvidence(f.getType() + " count=" + f.getCount())
                .setCount(f.getCount())
                .setFirstSeen(f.getFirstSeen() != null ? f.getFirstSeen() : f.getCreatedAt())
                .setLastSeen(f.getUpdatedAt())
                .setDetectedAt(f.getUpdatedAt())
                .setMode(mode)
                .build();
        context.forward(new Record<>(alertId, alert, record.timestamp(), record.headers()));
    }

    /** The owner of the finding's access key as a principal keyed like CloudTrail's (account + durable ARN); null if none. */
    static Principal principal(GuardDutyFinding f) {
        AccessKeyDetails k = f.getAccessKeyDetails();
        if (k == null || k.getUserName() == null || k.getUserType() == null || f.getAccountId().isEmpty()) {
            return null;
        }
        String account = f.getAccountId();
        String prefix = "arn:" + f.getPartition() + ":iam::" + account + ":";
        PrincipalType type;
        String arn;
        switch (k.getUserType()) {
            case "IAMUser" -> {
                type = PrincipalType.IAMUser;
                arn = prefix + "user/" + k.getUserName();
            }
            case "AssumedRole" -> {
                type = PrincipalType.AssumedRole;
                arn = prefix + "role/" + k.getUserName();
            }
            case "Root" -> {
                type = PrincipalType.Root;
                arn = prefix + "root";
            }
            default -> {
                return null;
            }
        }
        return Principal.newBuilder().setType(type).setPrincipalKey(account + "/" + arn).setArn(arn).setAccountId(account)
                .setPrincipalId(k.getPrincipalId()).setUserName(k.getUserName()).setAccessKeyId(k.getAccessKeyId())
                .setSessionName(type == PrincipalType.AssumedRole ? sessionName(k).orElse(null) : null).build();
    }

    /** The role session name of the finding's key: GuardDuty gives it only inside {@code principalId}. */
    static Optional<String> sessionName(AccessKeyDetails k) {
        Matcher m = k.getPrincipalId() == null ? null : ROLE_SESSION.matcher(k.getPrincipalId());
        return m != null && m.matches() ? Optional.of(m.group(1)) : Optional.empty();
    }

    /** The EC2 instance whose instance-profile credentials the finding's key is, if it is one. */
    static Optional<String> credentialInstance(GuardDutyFinding f) {
        return Optional.ofNullable(f.getAccessKeyDetails()).flatMap(FindingProcessor::sessionName)
                .filter(session -> INSTANCE_ID.matcher(session).matches());
    }

    private List<ChainLink> chain(GuardDutyFinding f, Principal principal) {
        String keyId = f.getAccessKeyDetails() == null ? null : f.getAccessKeyDetails().getAccessKeyId();
        String stored = keyId == null ? null : lineage.get(keyId);
        if (stored != null) {
            return ChainCodec.read(stored);
        }
        if (principal == null) {
            return List.of();
        }
        return List.of(ChainLink.newBuilder().setPrincipalArn(principal.getArn()).setAccountId(principal.getAccountId())
                .setAccessKeyId(keyId).build());
    }

    private static Entities entities(GuardDutyFinding f) {
        Entities.Builder e = Entities.newBuilder();
        Set<String> instances = new LinkedHashSet<>();
        if (f.getInstanceDetails() != null && f.getInstanceDetails().getInstanceId() != null) {
            instances.add(f.getInstanceDetails().getInstanceId());
        }
        // the finding's region is where the credentials were used, not necessarily the instance's: no instanceRegions entry
        credentialInstance(f).ifPresent(instances::add);
        e.setInstanceIds(new ArrayList<>(instances));
        if (f.getAccessKeyDetails() != null) {
            List<String> keys = new ArrayList<>();
            if (f.getAccessKeyDetails().getAccessKeyId() != null) {
                keys.add(f.getAccessKeyDetails().getAccessKeyId());
            }
            e.setAccessKeyIds(keys);
            if (f.getAccessKeyDetails().getUserName() != null) {
                e.setUserNames(List.of(f.getAccessKeyDetails().getUserName()));
            }
        }
        if (f.getRemoteIpAddress() != null) {
            e.setIpAddresses(List.of(f.getRemoteIpAddress()));
        }
        List<String> buckets = new ArrayList<>();
        f.getS3Buckets().forEach(b -> buckets.add(b.getName()));
        return e.setBuckets(buckets).build();
    }
}
