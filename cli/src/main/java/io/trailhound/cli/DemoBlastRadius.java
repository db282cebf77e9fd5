package io.trailhound.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.Set;

import io.trailhound.access.AccessGraph;
import io.trailhound.access.BlastRadius;
import io.trailhound.access.GraphBuilder;
import io.trailhound.access.PathStep;
import io.trailhound.access.Reachable;
import io.trailhound.access.Snapshot;
import io.trailhound.access.SnapshotOptions;
import io.trailhound.access.SnapshotReader;
import io.trailhound.demo.sample.SampleOrganization;

/**
 * What {@code trailhound demo} adds after the incident (#15): the blast radius of the compromised identity, dana, from the
 * IAM snapshot bundled with the sample ({@code sample-iam/<account>.gaad.json} in the demo module, the
 * {@code get-account-authorization-details} of the sample's three accounts), written to a directory the commands it prints
 * can read again.
 */
final class DemoBlastRadius {

    static final String RESOURCE_DIR = "sample-iam/";

    private DemoBlastRadius() {
    }

    /** Copies the bundled snapshot into {@code dir} and returns it. */
    static Path extract(Path dir) throws IOException {
        Files.createDirectories(dir);
        for (String account : SampleOrganization.ACCOUNTS) {
            String name = account + ".gaad.json";
            try (InputStream in = DemoBlastRadius.class.getClassLoader().getResourceAsStream(RESOURCE_DIR + name)) {
                if (in == null) {
                    throw new IllegalStateException(RESOURCE_DIR + name + " is missing from the class path (the demo module's resources)");
                }
                Files.copy(in, dir.resolve(name), StandardCopyOption.REPLACE_EXISTING);
            }
        }
        return dir;
    }

    /** The leaked user's ARN in the sample. */
    static String compromised() {
        return "arn:aws:iam::" + SampleOrganization.IDENTITY + ":user/" + SampleOrganization.LEAKED_USER;
    }

    /** The blast radius of the compromised identity in the snapshot at {@code dir}. */
    static BlastRadius of(Path dir) throws IOException {
        Snapshot snapshot = SnapshotReader.read(dir, new SnapshotOptions(Set.of(), SampleOrganization.ORG_ID, Instant.now()));
        AccessGraph graph = GraphBuilder.build(snapshot);
        return BlastRadius.of(graph, snapshot, compromised(), 5);
    }

    /** Prints the summary: administrator path, accounts, the administrator roles reached, the risk score, and how to see more. */
    static void print(PrintStream out, Path dir, BlastRadius r) {
        out.println();
        out.println("Blast radius of the compromised identity " + r.principal() + " (IAM snapshot " + dir + "):");
        out.println("  administrator-equivalent: " + (r.adminEquivalent() ? "yes (" + r.adminConfidence() + ")" : "no"));
        for (PathStep s : r.adminPath()) {
            out.println("    " + s.from() + " -> " + s.to() + " [" + s.technique() + ", " + s.confidence() + "]");
        }
        out.println("  accounts reachable: " + String.join(", ", r.accounts()));
        for (Reachable x : r.reachable()) {
            if (x.adminEquivalent()) {
                out.println("  administrator role reachable in " + x.hops() + " hop(s): " + x.arn());
            }
        }
        out.println("  principals reachable: " + r.reachable().size() + "; risk score " + r.risk().score() + "/100");
        out.println("  more: ./trailhound access blast-radius --snapshot " + dir + " " + r.principal() + " --format text");
        out.println("        ./trailhound report INCIDENT_ID --format html --snapshot " + dir + " --output report.html");
    }
}
