package io.trailhound.demo.sample;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The bundled sample: two weeks of the organization's ordinary activity, then the intrusion, plus GuardDuty findings.
 * Everything is drawn from one seeded random source and placed relative to an anchor time (the demo uses "now", so the
 * responder sees a fresh intrusion), so the same seed and anchor always give the same bytes.
 *
 * @param anchor     the end of the sample; the intrusion ends a few minutes before it
 * @param history    the ordinary activity, oldest first
 * @param intrusion  the attacker's records, oldest first
 * @param findings   GuardDuty findings (the harmless one first)
 * @param leakedUser the developer whose key leaked
 */
public record SampleData(Instant anchor, List<SampleEvent> history, List<SampleEvent> intrusion, List<ObjectNode> findings,
        Identity leakedUser) {

    /** The seed the demo uses. */
    public static final long DEFAULT_SEED = 20_261_128L;
    /** Days of history. */
    public static final int HISTORY_DAYS = 14;
    /** How long before the anchor the intrusion starts. */
    public static final Duration INTRUSION_LEAD = Duration.ofMinutes(40);

    /** The sample for {@code seed}, ending at {@code anchor} (truncated to the second). */
    public static SampleData generate(long seed, Instant anchor) {
        Instant end = anchor.truncatedTo(ChronoUnit.SECONDS);
        EventFactory events = new EventFactory(new Random(seed));
        // on a five-minute boundary, so the intrusion's log files split where the story needs them to
        Instant intrusionStart = end.minus(INTRUSION_LEAD).truncatedTo(ChronoUnit.HOURS)
            .plus(Duration.ofMinutes(end.minus(INTRUSION_LEAD).atZone(java.time.ZoneOffset.UTC).getMinute() / 5 * 5));
        Instant historyStart = intrusionStart.minus(Duration.ofDays(HISTORY_DAYS));
        BenignHistory benign = new BenignHistory(events);
        List<SampleEvent> history = sorted(benign.generate(historyStart, HISTORY_DAYS + 1, intrusionStart.minus(Duration.ofMinutes(20))));
        Identity dana = benign.users().get(SampleOrganization.LEAKED_USER);
        Workloads workloads = benign.workloads();
        List<SampleEvent> intrusion = sorted(new Intrusion(events).generate(dana, workloads, intrusionStart));
        Instant exfiltrationAt = intrusionStart.plus(Duration.ofMinutes(29));
        String stolenKey = workloads.instanceKey(SampleOrganization.APP_INSTANCE, intrusionStart.plus(Duration.ofMinutes(27)));
        List<ObjectNode> findings = new GuardDutyFindings(events).generate(historyStart.plus(Duration.ofDays(5)).plus(Duration.ofHours(3)),
            intrusionStart.plus(Duration.ofMinutes(22)), exfiltrationAt, stolenKey);
        return new SampleData(end, history, intrusion, findings, dana);
    }

    /** The history and the intrusion, oldest first. */
    public List<SampleEvent> allEvents() {
        List<SampleEvent> all = new ArrayList<>(history);
        all.addAll(intrusion);
        return sorted(all);
    }

    /** The ARN of the leaked user, where every chain of the intrusion starts. */
    public String leakedUserArn() {
        return leakedUser.durableArn();
    }

    private static List<SampleEvent> sorted(List<SampleEvent> events) {
        List<SampleEvent> copy = new ArrayList<>(events);
        copy.sort(Comparator.comparing(SampleEvent::time));
        return List.copyOf(copy);
    }
}
