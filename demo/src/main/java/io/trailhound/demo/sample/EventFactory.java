package io.trailhound.demo.sample;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import java.util.Random;
import java.util.UUID;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Writes CloudTrail records the way CloudTrail does (field names, order, {@code readOnly}, {@code eventCategory}); ids and
 * request ids come from one seeded random source, so the same seed writes the same records.
 */
public final class EventFactory {

    private static final String KEY_CHARS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final Random random;

    /** A factory whose ids are drawn from {@code random}. */
    public EventFactory(Random random) {
        this.random = random;
    }

    /** A new empty JSON object, for request parameters and response elements. */
    public static ObjectNode object() {
        return JsonNodeFactory.instance.objectNode();
    }

    /** Parses JSON text written by the sample itself. */
    public static JsonNode parse(String json) {
        try {
            return MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not JSON: " + json, e);
        }
    }

    /** A random-looking but seeded UUID. */
    public String uuid() {
        return new UUID(random.nextLong() & 0xffffffffffff0fffL | 0x4000L, random.nextLong() & 0x3fffffffffffffffL | 0x8000000000000000L)
            .toString();
    }

    /** A seeded access key id with the given prefix (AKIA or ASIA), 20 characters like AWS's. */
    public String accessKeyId(String prefix) {
        StringBuilder key = new StringBuilder(prefix);
        while (key.length() < 20) {
            key.append(KEY_CHARS.charAt(random.nextInt(KEY_CHARS.length())));
        }
        return key.toString();
    }

    /** A uniform random integer in [0, bound). */
    public int nextInt(int bound) {
        return random.nextInt(bound);
    }

    /** One of {@code values}, uniformly. */
    @SafeVarargs
    public final <T> T pick(T... values) {
        return values[random.nextInt(values.length)];
    }

    /** Starts a record of {@code who} calling {@code source}'s {@code name} at {@code time}. */
    public Call call(Identity who, Instant time, String source, String name) {
        return new Call(who, time, source, name);
    }

    /** A record under construction. */
    public final class Call {
        private final Identity who;
        private final Instant time;
        private final String source;
        private final String name;
        private String region = "us-east-1";
        private String ip = "AWS Internal";
        private String userAgent = "AWS Internal";
        private JsonNode request;
        private JsonNode response;
        private String errorCode;
        private String errorMessage;
        private String recipient;

        private Call(Identity who, Instant time, String source, String name) {
            this.who = who;
            this.time = time.truncatedTo(ChronoUnit.SECONDS);
            this.source = source;
            this.name = name;
        }

        /** The region called. */
        public Call region(String value) {
            region = value;
            return this;
        }

        /** Where the call came from and with which client. */
        public Call from(String sourceIp, String agent) {
            ip = sourceIp;
            userAgent = agent;
            return this;
        }

        /** {@code requestParameters}. */
        public Call request(JsonNode value) {
            request = value;
            return this;
        }

        /** {@code responseElements}. */
        public Call response(JsonNode value) {
            response = value;
            return this;
        }

        /** A failed call. */
        public Call error(String code, String message) {
            errorCode = code;
            errorMessage = message;
            return this;
        }

        /** The account whose trail receives the record; the caller's account unless set. */
        public Call recipient(String account) {
            recipient = account;
            return this;
        }

        /** The finished record. */
        public SampleEvent build() {
            String account = recipient == null ? who.account() : recipient;
            ObjectNode e = object();
            e.put("eventVersion", "1.09");
            e.set("userIdentity", who.toJson(time.minus(7, ChronoUnit.MINUTES).toString()));
            e.put("eventTime", time.toString());
            e.put("eventSource", source);
            e.put("eventName", name);
            e.put("awsRegion", region);
            e.put("sourceIPAddress", ip);
            e.put("userAgent", userAgent);
            if (errorCode != null) {
                e.put("errorCode", errorCode);
                e.put("errorMessage", errorMessage);
            }
            e.set("requestParameters", request == null ? JsonNodeFactory.instance.nullNode() : request);
            e.set("responseElements", response == null ? JsonNodeFactory.instance.nullNode() : response);
            e.put("requestID", uuid());
            e.put("eventID", uuid());
            e.put("readOnly", isReadOnly(name));
            e.put("eventType", "AwsApiCall");
            e.put("managementEvent", true);
            e.put("recipientAccountId", account);
            e.put("eventCategory", "Management");
            e.putObject("tlsDetails").put("tlsVersion", "TLSv1.3").put("cipherSuite", "TLS_AES_128_GCM_SHA256")
                .put("clientProvidedHostHeader", host(source, region));
            return new SampleEvent(time, account, region, e);
        }
    }

    private static boolean isReadOnly(String name) {
        return name.startsWith("Get") || name.startsWith("List") || name.startsWith("Describe") || name.startsWith("Lookup")
            || name.startsWith("Filter");
    }

    private static String host(String source, String region) {
        String service = source.substring(0, source.indexOf('.')).toLowerCase(Locale.ROOT);
        return "iam".equals(service) ? "iam.amazonaws.com" : service + "." + region + ".amazonaws.com";
    }
}
