package io.trailhound.cli;

import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.Deserializer;

import io.trailhound.avro.Alert;
import io.trailhound.avro.Incident;
import io.trailhound.avro.Principal;
import io.trailhound.avro.Severity;
import io.trailhound.topic.Topics;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.TypeConversionException;

/**
 * {@code trailhound tail}: follows the alert (or incident) topic like {@code tail -f}. Partitions are assigned, not
 * subscribed, and nothing is committed: tailing never joins a consumer group or moves anyone's offsets.
 */
@Command(name = "tail", mixinStandardHelpOptions = true,
    description = "Follow alerts (with --signals also the signals below the alerts' severity; or incidents with --incidents) "
        + "as they arrive: from now, from a time or from the beginning, "
        + "filtered by severity, rule, principal and account; aligned text (coloured on a terminal) or JSON lines. Joins no "
        + "consumer group and commits nothing.",
    footer = {"", "Examples:",
        "  # new alerts from now on, until Ctrl-C",
        "  trailhound tail",
        "  # the last hour's HIGH and CRITICAL alerts, then keep following",
        "  trailhound tail --from PT1H --min-severity HIGH",
        "  # alice's alerts so far as JSON lines, for a script",
        "  trailhound tail --from-beginning --principal user/alice \\",
        "      --format json --timeout 10s > alice.jsonl",
        "  # alerts and signals (INFO, LOW) of a principal from the beginning",
        "  trailhound tail --signals --from-beginning --principal user/alice",
        "  # the first 5 incidents touching an account since a date",
        "  trailhound tail --incidents --from 2026-11-02 --account 111122223333 --max 5"})
final class TailCommand implements Callable<Integer> {

    /** Output formats. */
    enum Format { text, json }

    @Spec
    private CommandSpec spec;

    @Mixin
    private KafkaOptions kafka;

    @Option(names = "--incidents", description = "Follow trailhound.incidents instead of trailhound.alerts.")
    private boolean incidents;

    @Option(names = "--signals", description = "Follow trailhound.signals as well: rule hits below the alerts' severity (INFO "
        + "and LOW by default), context an analyst hunts in but nobody acts on.")
    private boolean signals;

    @ArgGroup(exclusive = true)
    private Start start;

    @Option(names = "--min-severity", paramLabel = "SEVERITY", converter = SeverityConverter.class, defaultValue = "INFO",
        description = "Lowest severity shown: INFO, LOW, MEDIUM, HIGH, CRITICAL. Default: ${DEFAULT-VALUE}.")
    private Severity minSeverity;

    @Option(names = "--rule", paramLabel = "GLOB", description = "Only alerts of these rules (repeatable; * and ? allowed, e.g. "
        + "'TH-IAM-*'); for incidents, those with an alert of the rule.")
    private List<String> rules;

    @Option(names = "--principal", paramLabel = "TEXT",
        description = "Only those whose principal ARN, key or access key id contains TEXT.")
    private String principal;

    @Option(names = "--account", paramLabel = "ACCOUNT_ID", description = "Only those in this account.")
    private String account;

    @Option(names = "--format", paramLabel = "text|json", defaultValue = "text",
        description = "text (one aligned line each) or json (one object per line; "
        + "for alerts the line 'trailhound scan' prints). Default: ${DEFAULT-VALUE}.")
    private Format format;

    @Option(names = "--no-color", description = "No colours even on a terminal (none are used when output is piped, "
        + "or when NO_COLOR is set).")
    private boolean noColor;

    @Option(names = "--max", paramLabel = "N", description = "Exit after printing N (for scripts).")
    private Long max;

    @Option(names = "--until-end", description = "Exit once everything written before the start was read (with --from or "
        + "--from-beginning: export what is stored, e.g. for an investigation), instead of following new records.")
    private boolean untilEnd;

    @Option(names = "--timeout", paramLabel = "DURATION", converter = TimeoutConverter.class,
        description = "Exit after this long (ISO-8601 like PT30S, or 30s, 5m), even if fewer than --max were printed.")
    private Duration timeout;

    /** Where reading starts: now (default), a time, or the beginning. */
    static final class Start {
        @Option(names = "--from", paramLabel = "TIME", converter = ReplayTime.class,
            description = "Start at this time (by record timestamp): ISO-8601 instant, date, or a duration ago (PT1H, P2D, 30m).")
        Instant from;

        @Option(names = "--from-beginning", description = "Start at the oldest record still stored.")
        boolean fromBeginning;
    }

    /** Reads severities as {@code tail} and {@code scan} name them (INFO for INFORMATIONAL), in any case. */
    static final class SeverityConverter implements ITypeConverter<Severity> {
        @Override
        public Severity convert(String value) {
            String v = value.trim().toUpperCase(Locale.ROOT);
            if (v.equals("INFO")) {
                return Severity.INFORMATIONAL;
            }
            try {
                return Severity.valueOf(v);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException("'" + value + "' is not a severity: INFO, LOW, MEDIUM, HIGH or CRITICAL");
            }
        }
    }

    /** Reads {@code PT30S} or {@code 30s}/{@code 5m}/{@code 1h}. */
    static final class TimeoutConverter implements ITypeConverter<Duration> {
        @Override
        public Duration convert(String value) {
            String v = value.trim();
            if (v.matches("\\d+(ms|[smh])")) {
                long n = Long.parseLong(v.replaceAll("\\D", ""));
                return v.endsWith("ms") ? Duration.ofMillis(n) : v.endsWith("s") ? Duration.ofSeconds(n)
                    : v.endsWith("m") ? Duration.ofMinutes(n) : Duration.ofHours(n);
            }
            try {
                return Duration.parse(v);
            } catch (DateTimeParseException e) {
                throw new TypeConversionException("'" + value + "' is not a duration: use PT30S, 30s, 5m or 1h");
            }
        }
    }

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        if (incidents && signals) {
            err.println("--incidents and --signals cannot be combined: signals are alerts below the alerts' severity");
            return 2;
        }
        String topic = incidents ? Topics.INCIDENTS : Topics.ALERTS;
        try (ReplayReader reader = new ReplayReader(kafka.connection())) {
            List<TopicPartition> partitions = new ArrayList<>();
            for (String name : signals ? List.of(Topics.ALERTS, Topics.SIGNALS) : List.of(topic)) {
                List<TopicPartition> found = reader.partitions(name);
                if (found.isEmpty()) {
                    err.printf("topic %s does not exist at %s yet ('trailhound topics --create' creates it)%n", name,
                        kafka.bootstrapServers());
                    return 1;
                }
                partitions.addAll(found);
            }
            Map<TopicPartition, Long> end = untilEnd ? reader.endOffsets(partitions) : Map.of();
            reader.follow(startOffsets(reader, partitions));
            Thread hook = new Thread(reader::wakeup, "trailhound-tail-stop");
            Runtime.getRuntime().addShutdownHook(hook);
            try {
                follow(reader, end, err);
            } catch (WakeupException e) {
                // Ctrl-C: stop quietly
            } finally {
                removeHook(hook);
            }
            return 0;
        } catch (ReplayReader.Unreachable e) {
            err.println(e.getMessage());
            return 2;
        } catch (KafkaException e) {
            err.printf("reading %s at %s failed: %s%n", topic, kafka.bootstrapServers(), e.getMessage());
            return 2;
        }
    }

    /**
     * Prints matching records until --max were printed, --timeout passed, the {@code end} offsets were reached (--until-end;
     * empty: never), or the thread is interrupted.
     */
    private void follow(ReplayReader reader, Map<TopicPartition, Long> end, PrintWriter err) {
        PrintWriter out = spec.commandLine().getOut();
        Topics topics = kafka.topics();
        Deserializer<?> values = incidents ? topics.incidents().valueSerde().deserializer()
            : topics.alerts().valueSerde().deserializer();
        TailFormat lines = new TailFormat(!noColor && System.console() != null && System.getenv("NO_COLOR") == null
            && !"dumb".equals(System.getenv("TERM")));
        List<Pattern> rulePatterns = rules == null ? List.of() : rules.stream().map(ReplayFilter::glob).toList();
        long deadline = timeout == null ? Long.MAX_VALUE : System.nanoTime() + timeout.toNanos();
        long limit = max == null ? Long.MAX_VALUE : max;
        long printed = 0;
        while (printed < limit && going(reader, deadline, end)) {
            long waitMs = Math.max(1, Math.min(500, (deadline - System.nanoTime()) / 1_000_000));
            for (ConsumerRecord<byte[], byte[]> record : reader.poll(Duration.ofMillis(waitMs))) {
                Object value = printed < limit ? decode(values, record, err) : null;
                if (value != null && show(value, rulePatterns)) {
                    out.println(line(value, lines));
                    out.flush();
                    printed++;
                }
            }
        }
    }

    private static boolean going(ReplayReader reader, long deadline, Map<TopicPartition, Long> end) {
        return System.nanoTime() < deadline && !Thread.currentThread().isInterrupted() && (end.isEmpty() || !reader.reached(end));
    }

    private Map<TopicPartition, Long> startOffsets(ReplayReader reader, List<TopicPartition> partitions) {
        if (start != null && start.fromBeginning) {
            return reader.beginningOffsets(partitions);
        }
        if (start != null && start.from != null) {
            return reader.offsetsAt(partitions, start.from);
        }
        return reader.endOffsets(partitions);
    }

    private Object decode(Deserializer<?> values, ConsumerRecord<byte[], byte[]> record, PrintWriter err) {
        if (record.value() == null) {
            return null;
        }
        try {
            return values.deserialize(record.topic(), record.headers(), record.value());
        } catch (SerializationException e) {
            // one unreadable record is reported and skipped; it must not stop the tail
            err.printf("skipped %s-%d@%d: %s%n", record.topic(), record.partition(), record.offset(), e.getMessage());
            return null;
        }
    }

    private String line(Object value, TailFormat lines) {
        if (value instanceof Alert a) {
            return format == Format.json ? TailFormat.json(a) : lines.text(a);
        }
        Incident i = (Incident) value;
        return format == Format.json ? TailFormat.json(i) : lines.text(i);
    }

    private boolean show(Object value, List<Pattern> rulePatterns) {
        if (value instanceof Alert a) {
            return a.getSeverity().ordinal() >= minSeverity.ordinal()
                && (rulePatterns.isEmpty() || rulePatterns.stream().anyMatch(p -> p.matcher(a.getRuleId()).matches()))
                && (principal == null || principalMatches(a.getPrincipal()))
                && (account == null || account.equals(a.getAccountId()));
        }
        Incident i = (Incident) value;
        return i.getSeverity().ordinal() >= minSeverity.ordinal()
            && (rulePatterns.isEmpty() || i.getAlerts().stream()
                .anyMatch(ref -> rulePatterns.stream().anyMatch(p -> p.matcher(ref.getRuleId()).matches())))
            && (principal == null || principalMatches(i.getPrincipal()))
            && (account == null || i.getAccountIds().contains(account));
    }

    private boolean principalMatches(Principal p) {
        if (p == null) {
            return false;
        }
        for (String candidate : new String[] {p.getArn(), p.getPrincipalKey(), p.getSessionArn(), p.getAccessKeyId()}) {
            if (candidate != null && candidate.contains(principal)) {
                return true;
            }
        }
        return false;
    }

    private static void removeHook(Thread hook) {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // already shutting down: the hook is running
        }
    }
}
