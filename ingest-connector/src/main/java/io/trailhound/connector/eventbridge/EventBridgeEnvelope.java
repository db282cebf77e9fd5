package io.trailhound.connector.eventbridge;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;

import io.trailhound.connector.cloudtrail.MalformedTrailFileException;
import io.trailhound.connector.cloudtrail.RecordSpan;
import io.trailhound.connector.cloudtrail.RecordSplitter;

/**
 * An EventBridge event as delivered to SQS: its {@code detail-type}, the exact bytes of its {@code detail} (for
 * CloudTrail rules the CloudTrail record, for GuardDuty the finding), the detail's key member when present
 * ({@code eventID} for CloudTrail, {@code id} for GuardDuty) and the envelope's {@code account}.
 */
public record EventBridgeEnvelope(String detailType, byte[] detail, String key, String account) {

    /** Reads a CloudTrail event: the key is the detail's {@code eventID}. */
    public static EventBridgeEnvelope parse(byte[] body) throws MalformedTrailFileException {
        return parse(body, "eventID");
    }

    /** Reads an SQS message body; fails when it is not a JSON object with a string detail-type and an object detail. */
    public static EventBridgeEnvelope parse(byte[] body, String keyMember) throws MalformedTrailFileException {
        Map<String, RecordSpan> members = RecordSplitter.members(body);
        RecordSpan type = members.get("detail-type");
        RecordSpan detail = members.get("detail");
        if (type == null || body[type.start()] != '"' || detail == null || body[detail.start()] != '{') {
            throw new MalformedTrailFileException("not an EventBridge event: no string 'detail-type' and object 'detail'");
        }
        byte[] detailBytes = Arrays.copyOfRange(body, detail.start(), detail.end());
        RecordSpan id = RecordSplitter.members(detailBytes).get(keyMember);
        String key = id != null && detailBytes[id.start()] == '"' ? unquote(detailBytes, id) : null;
        RecordSpan account = members.get("account");
        String accountId = account != null && body[account.start()] == '"' ? unquote(body, account) : null;
        return new EventBridgeEnvelope(unquote(body, type), detailBytes, key, accountId);
    }

    private static String unquote(byte[] json, RecordSpan span) {
        return new String(json, span.start() + 1, span.length() - 2, StandardCharsets.UTF_8);
    }
}
