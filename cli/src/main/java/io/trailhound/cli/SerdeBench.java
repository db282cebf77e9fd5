package io.trailhound.cli;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;

import io.trailhound.avro.Alert;
import io.trailhound.avro.ChainLink;
import io.trailhound.avro.Entities;
import io.trailhound.avro.Mode;
import io.trailhound.avro.Principal;
import io.trailhound.avro.PrincipalType;
import io.trailhound.avro.RuleKind;
import io.trailhound.avro.Severity;
import io.trailhound.serde.AvroDeserializer;
import io.trailhound.serde.AvroSerializer;
import io.trailhound.serde.TrustedAvroClasses;
import io.trailhound.testkit.SchemaRegistryProcess;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Our Confluent-wire-format serdes (registry lookups cached) against plain Avro binary encoding of the same records:
 * what the wire format, the id cache and schema resolution cost per record.
 */
@Command(name = "serde", mixinStandardHelpOptions = true,
    description = "Avro serdes (Confluent wire format, real registry) next to plain Avro binary encoding of the same alerts.")
final class SerdeBench implements Callable<Integer> {

    private static final String TOPIC = "trailhound.alerts";

    @Spec
    private CommandSpec spec;

    @Option(names = "--records", defaultValue = "200000", description = "Records per round (default: ${DEFAULT-VALUE}).")
    private int records;

    @Option(names = "--rounds", defaultValue = "3",
        description = "Measured rounds after one warm-up; the best is kept (default: ${DEFAULT-VALUE}).")
    private int rounds;

    @Option(names = "--registry-url", description = "Use this registry instead of starting one (Confluent API base URL).")
    private String registryUrl;

    @Override
    public Integer call() throws Exception {
        TrustedAvroClasses.install();
        List<Alert> alerts = new ArrayList<>(records);
        for (int i = 0; i < records; i++) {
            alerts.add(alert(i));
        }
        if (registryUrl != null) {
            measure(registryUrl, alerts).print(spec.commandLine().getOut());
            return 0;
        }
        try (SchemaRegistryProcess registry = SchemaRegistryProcess.start()) {
            measure(registry.url(), alerts).print(spec.commandLine().getOut());
        }
        return 0;
    }

    private BenchTable measure(String url, List<Alert> alerts) {
        Map<String, Object> config = Map.of("schema.registry.url", url);
        try (AvroSerializer<Alert> serializer = new AvroSerializer<>();
             AvroDeserializer<Alert> deserializer = new AvroDeserializer<>(Alert.class)) {
            serializer.configure(config, false);
            deserializer.configure(config, false);
            List<byte[]> wire = alerts.stream().map(a -> serializer.serialize(TOPIC, a)).toList();
            List<byte[]> plain = plainEncode(alerts);
            List<Phase> phases = List.of(
                new Phase("ours write", () -> alerts.forEach(a -> serializer.serialize(TOPIC, a))),
                new Phase("plain write", () -> plainEncode(alerts)),
                new Phase("ours read", () -> wire.forEach(b -> deserializer.deserialize(TOPIC, b))),
                new Phase("plain read", () -> plainDecode(plain)));
            Map<String, Double> best = new HashMap<>();
            for (int round = 0; round <= rounds; round++) {
                // Round 0 warms up the JIT; later rounds count. Each phase starts after a GC and the order flips every round,
                // so neither side pays for the garbage the other left behind.
                List<Phase> order = new ArrayList<>(phases);
                if (round % 2 == 1) {
                    Collections.reverse(order);
                }
                for (Phase phase : order) {
                    double rate = timed(alerts.size(), phase.work());
                    if (round > 0) {
                        best.merge(phase.name(), rate, Math::max);
                    }
                }
            }
            return new BenchTable("serde (" + alerts.size() + " alerts x " + rounds + " rounds, best round)")
                .add(new BenchTable.Row("serialize Alert", best.get("ours write"), "plain Avro SpecificDatumWriter",
                    best.get("plain write"), "records/s", true))
                .add(new BenchTable.Row("deserialize Alert", best.get("ours read"), "plain Avro SpecificDatumReader",
                    best.get("plain read"), "records/s", true));
        }
    }

    /** One timed piece of work. */
    private record Phase(String name, Runnable work) {
    }

    /** Records per second of {@code phase} over {@code count} records, timed after a GC. */
    private static double timed(int count, Runnable phase) {
        System.gc();
        long start = System.nanoTime();
        phase.run();
        return count / ((System.nanoTime() - start) / 1e9);
    }


    private static List<byte[]> plainEncode(List<Alert> alerts) {
        SpecificDatumWriter<Alert> writer = new SpecificDatumWriter<>(Alert.class);
        List<byte[]> out = new ArrayList<>(alerts.size());
        BinaryEncoder encoder = null;
        try {
            for (Alert alert : alerts) {
                ByteArrayOutputStream bytes = new ByteArrayOutputStream(512);
                encoder = EncoderFactory.get().binaryEncoder(bytes, encoder);
                writer.write(alert, encoder);
                encoder.flush();
                out.add(bytes.toByteArray());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    private static void plainDecode(List<byte[]> encoded) {
        SpecificDatumReader<Alert> reader = new SpecificDatumReader<>(Alert.class);
        BinaryDecoder decoder = null;
        try {
            for (byte[] bytes : encoded) {
                decoder = DecoderFactory.get().binaryDecoder(bytes, decoder);
                reader.read(null, decoder);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A realistic alert: an assumed role two hops from a leaked user key. */
    static Alert alert(int i) {
        String account = String.format("%012d", 111_122_223_333L + i % 7);
        Instant at = Instant.parse("2025-03-01T09:00:00Z").plusSeconds(i);
        Principal principal = Principal.newBuilder().setType(PrincipalType.AssumedRole)
            .setPrincipalKey(account + ":arn:aws:iam::" + account + ":role/Deploy")
            .setArn("arn:aws:iam::" + account + ":role/Deploy")
            .setSessionArn("arn:aws:sts::" + account + ":assumed-role/Deploy/session-" + i)
            .setAccountId(account).setSessionName("session-" + i).setAccessKeyId("ASIA" + String.format("%016d", i)).build();
        return Alert.newBuilder()
            .setAlertId("alert-" + i).setDedupKey("TH-LM-001|" + principal.getPrincipalKey()).setRuleId("TH-LM-001")
            .setRuleKind(RuleKind.BASELINE).setTitle("Role assumed for the first time").setSeverity(Severity.HIGH)
            .setMitreTactic("Lateral Movement").setMitreTechniqueId("T1550.001").setPrincipal(principal)
            .setChain(List.of(
                ChainLink.newBuilder().setPrincipalArn("arn:aws:iam::" + account + ":user/dev").setAccountId(account)
                    .setAccessKeyId("AKIAEXAMPLEDEV00001").build(),
                ChainLink.newBuilder().setPrincipalArn(principal.getArn()).setAccountId(account)
                    .setAccessKeyId(principal.getAccessKeyId()).setMintedByEventName("AssumeRole").setMintedAt(at).build()))
            .setAccountId(account).setRegion("eu-west-1")
            .setEntities(Entities.newBuilder().setAccessKeyIds(List.of(principal.getAccessKeyId()))
                .setIpAddresses(List.of("203.0.113." + i % 250)).build())
            .setEventIds(List.of("event-" + i)).setEvidence("AssumeRole roleArn=" + principal.getArn())
            .setBaselineContext("first time in 43 days of history").setCount(1)
            .setFirstSeen(at).setLastSeen(at).setDetectedAt(at).setMode(Mode.LIVE).build();
    }
}
