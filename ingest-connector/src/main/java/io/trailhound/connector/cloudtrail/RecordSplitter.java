package io.trailhound.connector.cloudtrail;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Finds the exact byte span of every element of the top-level {@code Records} array of a CloudTrail log file, without
 * building a JSON tree: a record is forwarded with the bytes AWS wrote, never re-serialized. The scan checks the JSON
 * structure (strings, escapes, bracket nesting) so a truncated or non-CloudTrail file is reported, not half-emitted.
 */
public final class RecordSplitter {

    private static final byte[] RECORDS = "Records".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] EVENT_ID = "eventID".getBytes(StandardCharsets.US_ASCII);
    private static final int MAX_DEPTH = 512;

    private final byte[] json;
    private int pos;
    /** Start of the content of the member name {@link #memberName()} read last. */
    private int nameStart;

    private RecordSplitter(byte[] json) {
        this.json = json;
    }

    /** Splits a decompressed trail file into the spans of its {@code Records[]} elements, in file order. */
    public static List<RecordSpan> split(byte[] json) throws MalformedTrailFileException {
        return new RecordSplitter(json).splitFile();
    }

    /**
     * The top-level members of a JSON object, name to the exact byte span of its value (e.g. an EventBridge envelope's
     * {@code detail}); the first occurrence of a repeated name wins.
     */
    public static Map<String, RecordSpan> members(byte[] json) throws MalformedTrailFileException {
        return new RecordSplitter(json).objectMembers();
    }

    /** The byte spans of the object elements of the JSON array at {@code array} (e.g. GuardDuty's {@code findings}). */
    public static List<RecordSpan> elements(byte[] json, RecordSpan array) throws MalformedTrailFileException {
        RecordSplitter splitter = new RecordSplitter(json);
        splitter.pos = array.start();
        if (splitter.peek() != '[') {
            throw new MalformedTrailFileException("not a JSON array at byte " + array.start());
        }
        return splitter.splitRecords();
    }

    private Map<String, RecordSpan> objectMembers() throws MalformedTrailFileException {
        skipWhitespace();
        expect('{', "not a JSON object");
        Map<String, RecordSpan> members = new LinkedHashMap<>();
        skipWhitespace();
        if (peek() == '}') {
            pos++;
        } else {
            do {
                int nameEnd = memberName();
                String name = new String(json, nameStart, nameEnd - nameStart, StandardCharsets.UTF_8);
                int valueStart = pos;
                skipValue();
                members.putIfAbsent(name,
                    new RecordSpan(valueStart, pos, null));
            } while (nextMember('}'));
        }
        skipWhitespace();
        if (pos != json.length) {
            throw new MalformedTrailFileException("invalid JSON: unexpected content after the top-level object at byte " + pos);
        }
        return members;
    }

    private List<RecordSpan> splitFile() throws MalformedTrailFileException {
        skipWhitespace();
        expect('{', "not a CloudTrail log file: the top level is not a JSON object");
        List<RecordSpan> records = null;
        skipWhitespace();
        if (peek() == '}') {
            pos++;
        } else {
            while (true) {
                int nameEnd = memberName();
                if (records == null && matches(nameStart, nameEnd, RECORDS) && peek() == '[') {
                    records = splitRecords();
                } else {
                    skipValue();
                }
                if (!nextMember('}')) {
                    break;
                }
            }
        }
        skipWhitespace();
        if (pos != json.length) {
            throw new MalformedTrailFileException("invalid JSON: unexpected content after the top-level object at byte " + pos);
        }
        if (records == null) {
            throw new MalformedTrailFileException("not a CloudTrail log file: no top-level Records array");
        }
        return records;
    }

    private List<RecordSpan> splitRecords() throws MalformedTrailFileException {
        pos++;
        List<RecordSpan> spans = new ArrayList<>();
        skipWhitespace();
        if (peek() == ']') {
            pos++;
            return spans;
        }
        do {
            skipWhitespace();
            if (peek() != '{') {
                throw new MalformedTrailFileException("not a CloudTrail log file: Records[" + spans.size() + "] is not a JSON object");
            }
            int start = pos;
            String eventId = scanRecord();
            spans.add(new RecordSpan(start, pos, eventId));
        } while (nextMember(']'));
        return spans;
    }

    /** Scans one record object, returning its top-level {@code eventID} string (or null). */
    private String scanRecord() throws MalformedTrailFileException {
        pos++;
        String eventId = null;
        skipWhitespace();
        if (peek() == '}') {
            pos++;
            return null;
        }
        do {
            int nameEnd = memberName();
            if (eventId == null && matches(nameStart, nameEnd, EVENT_ID) && peek() == '"') {
                int valueStart = pos + 1;
                int valueEnd = skipString();
                eventId = new String(json, valueStart, valueEnd - valueStart, StandardCharsets.UTF_8);
            } else {
                skipValue();
            }
        } while (nextMember('}'));
        return eventId;
    }

    /**
     * Reads one member name and its colon, leaving {@link #pos} on the value: returns the end of the name's content and
     * sets {@link #nameStart} to its start (the name's bytes as written, escapes not decoded).
     */
    private int memberName() throws MalformedTrailFileException {
        skipWhitespace();
        nameStart = pos + 1;
        int nameEnd = skipString();
        skipWhitespace();
        expect(':', "invalid JSON: ':' expected after a member name");
        skipWhitespace();
        return nameEnd;
    }

    /** After a member or element: true on ',', false (consuming it) on {@code close}. */
    private boolean nextMember(char close) throws MalformedTrailFileException {
        skipWhitespace();
        byte b = peek();
        pos++;
        if (b == ',') {
            return true;
        }
        if (b == close) {
            return false;
        }
        throw new MalformedTrailFileException("invalid JSON: ',' or '" + close + "' expected at byte " + (pos - 1));
    }

    /** Skips any JSON value, checking that brackets nest and strings terminate. */
    private void skipValue() throws MalformedTrailFileException {
        byte b = peek();
        if (b == '"') {
            skipString();
        } else if (b == '{' || b == '[') {
            skipContainer();
        } else {
            int start = pos;
            while (pos < json.length && !isDelimiter(json[pos])) {
                pos++;
            }
            if (pos == start) {
                throw new MalformedTrailFileException("invalid JSON: value expected at byte " + start);
            }
        }
    }

    private void skipContainer() throws MalformedTrailFileException {
        byte[] stack = new byte[MAX_DEPTH];
        int depth = 0;
        do {
            byte b = peek();
            if (b == '"') {
                skipString();
                continue;
            }
            if (b == '{' || b == '[') {
                if (depth == MAX_DEPTH) {
                    throw new MalformedTrailFileException("invalid JSON: nesting deeper than " + MAX_DEPTH + " at byte " + pos);
                }
                stack[depth++] = b == '{' ? (byte) '}' : (byte) ']';
            } else if (b == '}' || b == ']') {
                if (stack[--depth] != b) {
                    throw new MalformedTrailFileException("invalid JSON: mismatched '" + (char) b + "' at byte " + pos);
                }
            }
            pos++;
        } while (depth > 0);
    }

    /** Skips a string starting at the current quote; returns the index of its closing quote. */
    private int skipString() throws MalformedTrailFileException {
        expect('"', "invalid JSON: string expected");
        while (pos < json.length) {
            byte b = json[pos];
            if (b == '\\') {
                pos += 2;
            } else if (b == '"') {
                return pos++;
            } else {
                pos++;
            }
        }
        throw new MalformedTrailFileException("invalid JSON: unterminated string (file truncated?)");
    }

    private boolean matches(int start, int end, byte[] name) {
        if (end - start != name.length) {
            return false;
        }
        for (int i = 0; i < name.length; i++) {
            if (json[start + i] != name[i]) {
                return false;
            }
        }
        return true;
    }

    private void expect(char c, String reason) throws MalformedTrailFileException {
        if (peek() != c) {
            throw new MalformedTrailFileException(reason + " (at byte " + pos + ")");
        }
        pos++;
    }

    private byte peek() throws MalformedTrailFileException {
        if (pos >= json.length) {
            throw new MalformedTrailFileException("invalid JSON: unexpected end of file (truncated?)");
        }
        return json[pos];
    }

    private void skipWhitespace() {
        while (pos < json.length && isWhitespace(json[pos])) {
            pos++;
        }
    }

    private static boolean isWhitespace(byte b) {
        return b == ' ' || b == '\n' || b == '\r' || b == '\t';
    }

    private static boolean isDelimiter(byte b) {
        return b == ',' || b == '}' || b == ']' || isWhitespace(b);
    }
}
