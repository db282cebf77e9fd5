package io.trailhound.connector.cloudtrail;

import java.time.DateTimeException;
import java.time.LocalDate;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The parts of a CloudTrail log file key, {@code AWSLogs/[o-orgid/]<account>/CloudTrail/<region>/YYYY/MM/DD/<file>.json.gz},
 * relative to the location's prefix. Digest files ({@code CloudTrail-Digest}) and anything else do not parse.
 */
public record TrailKey(String orgId, String account, String region, LocalDate date, String fileName) {

    private static final Pattern LAYOUT = Pattern.compile(
        "AWSLogs/(?:(o-[a-z0-9]{10,32})/)?(\\d{12})/CloudTrail/([a-z0-9-]+)/(\\d{4})/(\\d{2})/(\\d{2})/([^/]+\\.json\\.gz)");

    /** Parses {@code key} below {@code prefix} (empty, or ending in '/'); empty when it is not a trail log file. */
    public static Optional<TrailKey> parse(String prefix, String key) {
        if (!key.startsWith(prefix)) {
            return Optional.empty();
        }
        Matcher m = LAYOUT.matcher(key.substring(prefix.length()));
        if (!m.matches() || m.group(7).contains("CloudTrail-Digest")) {
            return Optional.empty();
        }
        try {
            LocalDate date = LocalDate.of(Integer.parseInt(m.group(4)), Integer.parseInt(m.group(5)), Integer.parseInt(m.group(6)));
            return Optional.of(new TrailKey(m.group(1), m.group(2), m.group(3), date, m.group(7)));
        } catch (DateTimeException e) {
            return Optional.empty();
        }
    }

    /**
     * The key prefix holding one account's files of one region: {@code <prefix>AWSLogs/[o-orgid/]<account>/CloudTrail/<region>/}.
     */
    public static String partitionPrefix(String prefix, String orgId, String account, String region) {
        return prefix + "AWSLogs/" + (orgId == null ? "" : orgId + "/") + account + "/CloudTrail/" + region + "/";
    }
}
