package io.trailhound.respond.runbook;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.trailhound.avro.Alert;
import io.trailhound.avro.Principal;
import io.trailhound.avro.PrincipalType;

/**
 * Chooses the runbook for an alert: the alert's own {@code runbook} field first, else the first configured mapping whose
 * glob matches the rule id or a GuardDuty finding type named in the alert. The alias {@code credential-compromise} picks
 * the user or role-session runbook from the principal's type.
 */
public final class RunbookSelector {

    public static final String CREDENTIAL_COMPROMISE = "credential-compromise";
    /** Key in {@code Entities.other} under which alerts list the GuardDuty finding types they came from. */
    public static final String FINDING_TYPES = "findingTypes";

    /**
     * The runbook names the stream processor's rules use (rules.json), as runbooks of this module. Tampering with logging or
     * security tooling is contained like a compromised credential of its actor; root is escalated to a human by the
     * user runbook. {@code network-exposure} has no runbook yet: such alerts are audited as "no runbook", never guessed.
     */
    public static final Map<String, String> DETECTION_ALIASES = Map.of(
        "iam-role-compromise", RoleSessionCompromise.ID,
        "data-exposure", DataExfiltration.ID,
        "cloudtrail-tampering", CREDENTIAL_COMPROMISE,
        "logging-tampering", CREDENTIAL_COMPROMISE,
        "security-tooling-tampering", CREDENTIAL_COMPROMISE,
        "root-compromise", CREDENTIAL_COMPROMISE);

    /** The default mapping, first match wins: instance credentials before the IAM-user globs that would also match them. */
    public static final List<String> DEFAULT_MAPPING = List.of(
        "UnauthorizedAccess:IAMUser/InstanceCredentialExfiltration*=" + RoleSessionCompromise.ID,
        "UnauthorizedAccess:IAMUser/*=" + CREDENTIAL_COMPROMISE,
        "*:IAMUser/AnomalousBehavior=" + CREDENTIAL_COMPROMISE,
        "Stealth:IAMUser/CloudTrailLoggingDisabled=" + CREDENTIAL_COMPROMISE,
        "Policy:IAMUser/RootCredentialUsage=" + CREDENTIAL_COMPROMISE,
        "AttackSequence:IAM/CompromisedCredentials=" + CREDENTIAL_COMPROMISE,
        "CryptoCurrency:EC2/*=" + Ec2Compromise.ID,
        "Impact:EC2/BitcoinDomainRequest.Reputation=" + Ec2Compromise.ID,
        "Backdoor:EC2/*=" + Ec2Compromise.ID,
        "Trojan:EC2/*=" + Ec2Compromise.ID,
        "UnauthorizedAccess:EC2/MetadataDNSRebind=" + Ec2Compromise.ID,
        "AttackSequence:S3/CompromisedData=" + DataExfiltration.ID,
        "Exfiltration:S3/*=" + DataExfiltration.ID);

    private final Map<String, Runbook> runbooks;
    private final Map<GlobPattern, String> mapping;

    /**
     * @param runbooks the runbooks by id
     * @param mapping  entries {@code GLOB=RUNBOOK_ID}, first match wins
     */
    public RunbookSelector(List<Runbook> runbooks, List<String> mapping) {
        Map<String, Runbook> byId = new LinkedHashMap<>();
        runbooks.forEach(runbook -> byId.put(runbook.id(), runbook));
        this.runbooks = Map.copyOf(byId);
        this.mapping = parse(mapping, byId);
    }

    /** The built-in runbooks with the default mapping. */
    public static RunbookSelector defaults(RunbookSettings settings) {
        return new RunbookSelector(builtIn(settings), DEFAULT_MAPPING);
    }

    /** Every runbook this module ships. */
    public static List<Runbook> builtIn(RunbookSettings settings) {
        return List.of(new IamUserCompromise(settings), new RoleSessionCompromise(settings), new Ec2Compromise(settings),
            new DataExfiltration(settings), new UnauthorizedResourceCreation(settings));
    }

    /** The runbook for {@code alert}, or empty when none applies (an unknown runbook id in the alert included). */
    public Optional<Runbook> select(Alert alert) {
        String requested = alert.getRunbook();
        if (requested != null && !requested.isBlank()) {
            return resolve(requested.trim(), alert);
        }
        List<String> keys = new ArrayList<>();
        keys.add(alert.getRuleId());
        keys.addAll(alert.getFindingTypes());
        keys.addAll(alert.getEntities().getOther().getOrDefault(FINDING_TYPES, List.of()));
        for (Map.Entry<GlobPattern, String> entry : mapping.entrySet()) {
            if (keys.stream().anyMatch(entry.getKey()::matches)) {
                return resolve(entry.getValue(), alert);
            }
        }
        return Optional.empty();
    }

    private Optional<Runbook> resolve(String requested, Alert alert) {
        String id = DETECTION_ALIASES.getOrDefault(requested, requested);
        if (!CREDENTIAL_COMPROMISE.equals(id)) {
            return Optional.ofNullable(runbooks.get(id));
        }
        Principal principal = alert.getPrincipal();
        boolean user = principal == null || principal.getType() == PrincipalType.IAMUser || principal.getType() == PrincipalType.Root;
        return Optional.ofNullable(runbooks.get(user ? IamUserCompromise.ID : RoleSessionCompromise.ID));
    }

    private static Map<GlobPattern, String> parse(List<String> entries, Map<String, Runbook> runbooks) {
        Map<GlobPattern, String> parsed = new LinkedHashMap<>();
        for (String entry : entries) {
            int eq = entry.lastIndexOf('=');
            if (eq <= 0 || eq == entry.length() - 1) {
                throw new IllegalArgumentException("runbook mapping entry must be GLOB=RUNBOOK_ID, was '" + entry + "'");
            }
            String id = entry.substring(eq + 1).trim();
            if (!runbooks.containsKey(id) && !CREDENTIAL_COMPROMISE.equals(id)) {
                throw new IllegalArgumentException("runbook mapping entry '" + entry + "' names unknown runbook '" + id
                    + "'; known: " + runbooks.keySet() + " and " + CREDENTIAL_COMPROMISE);
            }
            parsed.put(new GlobPattern(entry.substring(0, eq).trim()), id);
        }
        return parsed;
    }
}
