package io.trailhound.cli;

import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The forensic query's record filter over raw CloudTrail JSON: every given criterion must hold (AND); several event names or
 * error codes are alternatives (OR). Event names and error codes are globs ({@code *}, {@code ?}); the principal is a substring
 * of the caller's ARN or of its session issuer's ARN; the source IP is an address or a CIDR block (IPv4 or IPv6).
 */
final class ReplayFilter {

    private final String accessKeyId;
    private final String principal;
    private final Cidr sourceIp;
    private final List<Pattern> eventNames;
    private final List<Pattern> errorCodes;

    ReplayFilter(String accessKeyId, String principal, String sourceIp, List<String> eventNames, List<String> errorCodes) {
        this.accessKeyId = blankToNull(accessKeyId);
        this.principal = blankToNull(principal);
        this.sourceIp = blankToNull(sourceIp) == null ? null : Cidr.parse(sourceIp.trim());
        this.eventNames = eventNames == null ? List.of() : eventNames.stream().map(ReplayFilter::glob).toList();
        this.errorCodes = errorCodes == null ? List.of() : errorCodes.stream().map(ReplayFilter::glob).toList();
    }

    /** Whether the CloudTrail record matches every criterion. */
    boolean matches(JsonNode record) {
        JsonNode identity = record.path("userIdentity");
        if (accessKeyId != null && !accessKeyId.equals(identity.path("accessKeyId").asText(null))) {
            return false;
        }
        if (principal != null && !identity.path("arn").asText("").contains(principal)
            && !identity.path("sessionContext").path("sessionIssuer").path("arn").asText("").contains(principal)) {
            return false;
        }
        if (sourceIp != null && !sourceIp.contains(record.path("sourceIPAddress").asText(""))) {
            return false;
        }
        if (!eventNames.isEmpty() && !anyMatch(eventNames, record.path("eventName").asText(null))) {
            return false;
        }
        return errorCodes.isEmpty() || anyMatch(errorCodes, record.path("errorCode").asText(null));
    }

    /** The record's {@code eventTime}, or null when it has none or an unreadable one. */
    static Instant eventTime(JsonNode record) {
        String text = record.path("eventTime").asText(null);
        if (text == null) {
            return null;
        }
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    private static boolean anyMatch(List<Pattern> patterns, String value) {
        return value != null && patterns.stream().anyMatch(p -> p.matcher(value).matches());
    }

    /** A glob ({@code *} any run, {@code ?} one character) as a whole-string, case-sensitive pattern. */
    static Pattern glob(String glob) {
        StringBuilder regex = new StringBuilder();
        for (char c : glob.trim().toCharArray()) {
            switch (c) {
                case '*' -> regex.append(".*");
                case '?' -> regex.append('.');
                default -> regex.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return Pattern.compile(regex.toString());
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }

    /** An IP address or CIDR block. */
    record Cidr(BigInteger network, int bits, int length) {

        /** Parses {@code 203.0.113.7}, {@code 203.0.113.0/24}, {@code 2001:db8::/32}; only literal addresses, never a host name. */
        static Cidr parse(String text) {
            String[] parts = text.split("/", 2);
            byte[] address = literal(parts[0]);
            if (address == null) {
                throw new IllegalArgumentException("--source-ip: '" + text + "' is not an IP address or CIDR block");
            }
            int length = address.length * 8;
            int bits = length;
            if (parts.length == 2) {
                try {
                    bits = Integer.parseInt(parts[1]);
                } catch (NumberFormatException e) {
                    bits = -1;
                }
                if (bits < 0 || bits > length) {
                    throw new IllegalArgumentException("--source-ip: prefix length in '" + text + "' must be 0 to " + length);
                }
            }
            return new Cidr(prefix(new BigInteger(1, address), bits, length), bits, length);
        }

        /** Whether {@code ip} (a literal address; anything else, such as a service name, never matches) lies in the block. */
        boolean contains(String ip) {
            byte[] address = literal(ip);
            return address != null && address.length * 8 == length && prefix(new BigInteger(1, address), bits, length).equals(network);
        }

        private static BigInteger prefix(BigInteger value, int bits, int length) {
            return value.shiftRight(length - bits);
        }

        private static byte[] literal(String text) {
            String t = text.trim().toLowerCase(Locale.ROOT);
            boolean v4 = t.matches("\\d{1,3}(\\.\\d{1,3}){3}");
            boolean v6 = t.contains(":") && t.matches("[0-9a-f:.]+");
            if (!v4 && !v6) {
                return null;
            }
            try {
                // a literal never triggers a DNS lookup
                return InetAddress.getByName(t).getAddress();
            } catch (UnknownHostException e) {
                return null;
            }
        }
    }
}
