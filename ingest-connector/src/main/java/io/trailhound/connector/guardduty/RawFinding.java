package io.trailhound.connector.guardduty;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import io.trailhound.connector.cloudtrail.MalformedTrailFileException;
import io.trailhound.connector.cloudtrail.RecordSpan;
import io.trailhound.connector.cloudtrail.RecordSplitter;

/**
 * One GuardDuty finding as GuardDuty's API sent it: the exact bytes of its element in the GetFindings {@code findings}
 * array, with the fields the source needs read from those bytes (id, updatedAt, whether it is a sample).
 */
public record RawFinding(String id, long updatedAt, boolean sample, String accountId, long count, byte[] json) {

    /** Splits a raw GetFindings response body into its findings, in the order GuardDuty returned them. */
    public static List<RawFinding> parse(byte[] body) throws MalformedTrailFileException {
        RecordSpan findings = RecordSplitter.members(body).get("findings");
        if (findings == null) {
            throw new MalformedTrailFileException("GetFindings answer without a findings array");
        }
        List<RawFinding> parsed = new ArrayList<>();
        for (RecordSpan span : RecordSplitter.elements(body, findings)) {
            byte[] json = Arrays.copyOfRange(body, span.start(), span.end());
            Map<String, RecordSpan> members = RecordSplitter.members(json);
            String id = text(json, members.get("id"));
            String updatedAt = text(json, members.get("updatedAt"));
            if (id == null || updatedAt == null) {
                throw new MalformedTrailFileException("finding without id or updatedAt");
            }
            byte[] service = object(json, members.get("service"));
            parsed.add(new RawFinding(id, parseTime(updatedAt), isSample(service), text(json, members.get("accountId")),
                count(service), json));
        }
        return parsed;
    }

    /** The version of this finding the cursor remembers: id and {@code service.count} (an update may keep the millisecond). */
    public String version() {
        return id + "#" + count;
    }

    private static long count(byte[] service) throws MalformedTrailFileException {
        if (service == null) {
            return 0;
        }
        RecordSpan count = RecordSplitter.members(service).get("count");
        if (count == null) {
            return 0;
        }
        try {
            return Long.parseLong(new String(service, count.start(), count.length(), StandardCharsets.UTF_8).trim());
        } catch (NumberFormatException e) {
            throw new MalformedTrailFileException("finding service.count is not an integer");
        }
    }

    private static boolean isSample(byte[] service) throws MalformedTrailFileException {
        if (service == null) {
            return false;
        }
        byte[] info = object(service, RecordSplitter.members(service).get("additionalInfo"));
        if (info == null) {
            return false;
        }
        RecordSpan sample = RecordSplitter.members(info).get("sample");
        return sample != null && "true".equals(new String(info, sample.start(), sample.length(), StandardCharsets.UTF_8));
    }

    private static byte[] object(byte[] json, RecordSpan span) {
        return span == null || json[span.start()] != '{' ? null : Arrays.copyOfRange(json, span.start(), span.end());
    }

    private static String text(byte[] json, RecordSpan span) {
        if (span == null || json[span.start()] != '"') {
            return null;
        }
        return new String(json, span.start() + 1, span.length() - 2, StandardCharsets.UTF_8);
    }

    private static long parseTime(String text) throws MalformedTrailFileException {
        try {
            return Instant.parse(text).toEpochMilli();
        } catch (DateTimeParseException e) {
            throw new MalformedTrailFileException("finding updatedAt '" + text + "' is not an ISO-8601 time");
        }
    }
}
