package io.trailhound.access;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The {@code Principal} or {@code NotPrincipal} element of a resource-based policy statement, in every form AWS documents:
 * {@code "*"}, {@code {"AWS": ...}} (account id, account root, user, role or session ARN, or {@code *}), {@code Service},
 * {@code Federated} and {@code CanonicalUser}.
 */
record PrincipalBlock(boolean anyone, List<String> aws, List<String> services, List<String> federated, List<String> canonical) {

    private static final Pattern ACCOUNT_ID = Pattern.compile("\\d{12}");
    private static final Pattern ACCOUNT_ROOT = Pattern.compile("arn:aws[a-z-]*:iam::\\d{12}:root", Pattern.CASE_INSENSITIVE);

    /** How a statement names a caller: not at all, through its account (delegation), or directly (its ARN or {@code *}). */
    enum Naming { NONE, ACCOUNT, DIRECT }

    PrincipalBlock {
        aws = List.copyOf(aws);
        services = List.copyOf(services);
        federated = List.copyOf(federated);
        canonical = List.copyOf(canonical);
    }

    /** Parses the element; {@code where} names the file and field for a one-line error. */
    static PrincipalBlock parse(JsonNode node, String where) {
        if (node == null || node.isNull()) {
            return null;
        }
        if (node.isTextual()) {
            if (!"*".equals(node.asText())) {
                throw new IllegalArgumentException(where + ": a Principal string must be \"*\", was " + node.asText());
            }
            return new PrincipalBlock(true, List.of(), List.of(), List.of(), List.of());
        }
        if (!node.isObject()) {
            throw new IllegalArgumentException(where + ": Principal must be \"*\" or an object");
        }
        List<String> aws = Statement.strings(node.get("AWS"), where + ".AWS");
        boolean anyone = aws.contains("*");
        return new PrincipalBlock(anyone, aws, Statement.strings(node.get("Service"), where + ".Service"),
            Statement.strings(node.get("Federated"), where + ".Federated"),
            Statement.strings(node.get("CanonicalUser"), where + ".CanonicalUser"));
    }

    /** How this block names an IAM caller (user, role or account). */
    Naming names(Caller caller) {
        if (caller.kind() == Caller.Kind.FEDERATED) {
            return federated.stream().anyMatch(f -> f.equalsIgnoreCase(caller.arn())) ? Naming.DIRECT : Naming.NONE;
        }
        if (anyone) {
            return Naming.DIRECT;
        }
        Naming best = Naming.NONE;
        for (String entry : aws) {
            if (entry.equalsIgnoreCase(caller.arn()) && caller.kind() != Caller.Kind.ACCOUNT) {
                return Naming.DIRECT;
            }
            if (caller.accountId().equals(accountOf(entry))) {
                best = Naming.ACCOUNT;
            }
        }
        return best;
    }

    /** True when the block names the service principal (e.g. {@code lambda.amazonaws.com}). */
    boolean namesService(String service) {
        return services.stream().anyMatch(s -> s.equalsIgnoreCase(service));
    }

    /** The account an {@code AWS} entry stands for when it is an account id or account root ARN, else null. */
    static String accountOf(String entry) {
        if (ACCOUNT_ID.matcher(entry).matches()) {
            return entry;
        }
        if (ACCOUNT_ROOT.matcher(entry).matches()) {
            return entry.split(":")[4];
        }
        return null;
    }

    /** Every principal the block names, for listing external principals: account roots, ARNs, federated providers. */
    List<String> named() {
        List<String> all = new ArrayList<>(aws);
        all.addAll(federated);
        return all;
    }
}
