package io.trailhound.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.trailhound.access.AccessGraph;
import io.trailhound.access.BlastRadius;
import io.trailhound.access.Edge;
import io.trailhound.access.GraphBuilder;
import io.trailhound.access.Node;
import io.trailhound.access.Snapshot;
import io.trailhound.access.SnapshotReader;
import io.trailhound.topic.Topics;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code trailhound bench access} (#15): a synthetic organization ({@link AccessBenchSnapshot}) written as a snapshot directory,
 * its access graph built in a JVM of its own with a 2 GB heap cap ({@link AccessBenchBuild}: wall time, peak heap and peak
 * resident memory) next to a plain Jackson parse of the same files, blast-radius queries on a larger graph (p50/p99 next
 * to a breadth-first search of the same graph that keeps no paths), and the detection latency with the per-alert access
 * enrichment on and off on one broker ({@link AccessBenchEnrichment}), each against issue #15's target.
 */
@Command(name = "access", mixinStandardHelpOptions = true,
    description = {"Access graph build from a synthetic GAAD snapshot (5,000 roles over 200 accounts, its own JVM with -Xmx2g) next",
        "to a Jackson parse of the same files, and blast-radius query latency on a 50,000-principal graph next to a plain",
        "breadth-first search, and detection latency with the per-alert access enrichment on and off (same broker, records",
        "and run), against issue #15's targets: build <= 60 s and <= 2 GB heap, query p99 <= 50 ms, enrichment adds <= 5 ms p99."})
final class AccessBench implements Callable<Integer> {

    static final double TARGET_BUILD_SECONDS = 60;
    static final double TARGET_HEAP_MB = 2048;
    static final double TARGET_QUERY_P99_MILLIS = 50;
    static final double TARGET_ENRICHMENT_P99_MILLIS = 5;
    private static final String TARGET = "target (issue #15)";
    private static final ObjectMapper JSON = new ObjectMapper();

    @Spec
    private CommandSpec spec;

    @Option(names = "--roles", defaultValue = "5000", description = "Roles of the build snapshot (default: ${DEFAULT-VALUE}).")
    private int roles;

    @Option(names = "--accounts", defaultValue = "200", description = "Accounts of the build snapshot (default: ${DEFAULT-VALUE}).")
    private int accounts;

    @Option(names = "--users-per-account", defaultValue = "5", description = "Users per account (default: ${DEFAULT-VALUE}).")
    private int usersPerAccount;

    @Option(names = "--query-principals", defaultValue = "50000",
        description = "Users and roles of the query graph, same shape per account (default: ${DEFAULT-VALUE}).")
    private int queryPrincipals;

    @Option(names = "--queries", defaultValue = "1000", description = "Blast-radius queries timed (default: ${DEFAULT-VALUE}).")
    private int queries;

    @Option(names = "--max-hops", defaultValue = "5", description = "--max-hops of the queries (default: ${DEFAULT-VALUE}).")
    private int maxHops;

    @Option(names = "--heap", defaultValue = "2g", description = "The build JVM's -Xmx (default: ${DEFAULT-VALUE}).")
    private String heap;

    @Option(names = "--seed", defaultValue = "15",
        description = "Seed of the generator and of the query sample (default: ${DEFAULT-VALUE}).")
    private long seed;

    @Option(names = "--enrichment-seconds", defaultValue = "15",
        description = "Seconds of each detection latency run with the enrichment on and off; 0 skips that part (default: "
            + "${DEFAULT-VALUE}).")
    private int enrichmentSeconds;

    @Option(names = "--enrichment-rounds", defaultValue = "2",
        description = "Pairs of runs, off then on, then on then off, ..., after a warm-up (default: ${DEFAULT-VALUE}).")
    private int enrichmentRounds;

    @Option(names = "--enrichment-rate", defaultValue = "200",
        description = "Offered load of the enrichment runs, raw records/s (default: ${DEFAULT-VALUE}).")
    private int enrichmentRate;

    @Option(names = "--enrichment-principals", defaultValue = "500",
        description = "Principals of the enrichment runs' trail, each with an access summary (default: ${DEFAULT-VALUE}).")
    private int enrichmentPrincipals;

    @Option(names = "--enrichment-suspicious-fraction", defaultValue = "0.1",
        description = "Fraction of the offered records that raise an alert (default: ${DEFAULT-VALUE}).")
    private double enrichmentSuspicious;

    @Option(names = "--keep", description = "Keep the generated snapshot directories (their paths are printed).")
    private boolean keep;

    /** What the build's JVM printed and how it ran. */
    record Build(double read, double build, long nodes, long edges, long peakHeap, double cpu, BenchJvm.Run run, String stderr) {
    }

    /** Latencies of the queries in milliseconds, and the mean number of nodes each reached. */
    record Queries(double[] millis, double[] baselineMillis, double[] cpuMillis, double[] baselineCpuMillis, double meanReached,
                   int principals, long edges, double buildSeconds,
                   long gcCount, long gcMillis, String slowest) {
        double p(double[] sorted, double q) {
            return sorted[Math.min(sorted.length - 1, (int) Math.ceil(q * sorted.length) - 1)];
        }
    }

    @Override
    public Integer call() throws Exception {
        if (roles < accounts || accounts < 3 || queries < 1 || queryPrincipals < 3 * (roles / accounts + usersPerAccount)
            || enrichmentSeconds < 0 || enrichmentRounds < 1 || enrichmentRate < 1 || enrichmentPrincipals < 1
            || enrichmentSuspicious <= 0 || enrichmentSuspicious > 1) {
            throw new ParameterException(spec.commandLine(), "need --accounts >= 3, --roles >= --accounts, --queries >= 1, "
                + "--query-principals of at least three accounts, --enrichment-seconds >= 0, --enrichment-rounds, --enrichment-rate "
                + "and --enrichment-principals >= 1, 0 < --enrichment-suspicious-fraction <= 1");
        }
        PrintWriter out = spec.commandLine().getOut();
        Path dir = Files.createTempDirectory("trailhound-bench-access-");
        int rolesPerAccount = roles / accounts;
        AccessBenchSnapshot.Summary small = AccessBenchSnapshot.write(dir.resolve("build"), accounts, rolesPerAccount,
            usersPerAccount, seed);
        out.printf(Locale.ROOT, "build snapshot: %d accounts, %d roles, %d users, %d groups, %d managed policies, %.1f MB: %s%n",
            small.accounts(), small.roles(), small.users(), small.groups(), small.policies(), small.bytes() / 1e6, small.dir());
        out.flush();
        double parse = Math.min(parse(small.dir()), parse(small.dir()));
        Build build = build(small.dir(), dir);
        if (build.run().exitCode() != 0) {
            out.printf("the build's JVM exited with %d:%n%s%n", build.run().exitCode(), build.stderr());
            out.flush();
            return 1;
        }
        int queryAccounts = (queryPrincipals + rolesPerAccount + usersPerAccount - 1) / (rolesPerAccount + usersPerAccount);
        AccessBenchSnapshot.Summary large = AccessBenchSnapshot.write(dir.resolve("query"), queryAccounts, rolesPerAccount,
            usersPerAccount, seed);
        out.printf(Locale.ROOT, "query snapshot: %d accounts, %d roles, %d users (%d principals), %.1f MB: %s%n", large.accounts(),
            large.roles(), large.users(), large.principals(), large.bytes() / 1e6, large.dir());
        out.flush();
        Queries q = queries(large.dir());
        AccessBenchEnrichment.Result enrichment = enrichmentSeconds == 0 ? null : new AccessBenchEnrichment(enrichmentPrincipals,
            enrichmentRate, enrichmentSeconds, enrichmentRounds, enrichmentSuspicious, spec.commandLine().getErr()).run();
        print(out, parse, build, q, enrichment);
        if (keep) {
            out.printf("kept: %s%n", dir);
        } else {
            NoiseBench.deleteTree(dir);
        }
        out.flush();
        return 0;
    }

    private void print(PrintWriter out, double parse, Build b, Queries q, AccessBenchEnrichment.Result e) {
        double seconds = b.run().seconds();
        double heapMb = b.peakHeap() / 1048576.0;
        double[] ours = q.millis().clone();
        double[] plain = q.baselineMillis().clone();
        Arrays.sort(ours);
        Arrays.sort(plain);
        double[] oursCpu = q.cpuMillis().clone();
        double[] plainCpu = q.baselineCpuMillis().clone();
        Arrays.sort(oursCpu);
        Arrays.sort(plainCpu);
        BenchTable table = new BenchTable("access");
        table.add(new BenchTable.Row("build wall time (own JVM)", seconds, "Jackson readTree of the files", parse, "s", false));
        table.add(new BenchTable.Row("build wall time (own JVM)", seconds, TARGET, TARGET_BUILD_SECONDS, "s", false));
        table.add(new BenchTable.Row("build peak heap", heapMb, TARGET, TARGET_HEAP_MB, "MB", false));
        table.add(new BenchTable.Row("blast radius p50", q.p(ours, 0.50), "BFS without paths p50", q.p(plain, 0.50), "ms", false));
        table.add(new BenchTable.Row("blast radius p99", q.p(ours, 0.99), "BFS without paths p99", q.p(plain, 0.99), "ms", false));
        table.add(new BenchTable.Row("blast radius p99", q.p(ours, 0.99), TARGET, TARGET_QUERY_P99_MILLIS, "ms", false));
        table.add(new BenchTable.Row("blast radius p99, thread CPU", q.p(oursCpu, 0.99), "BFS without paths p99, CPU",
            q.p(plainCpu, 0.99), "ms", false));
        if (e != null) {
            table.add(new BenchTable.Row("detection p50, enrichment on", e.on().p(0.5), "enrichment off p50", e.off().p(0.5), "ms",
                false));
            table.add(new BenchTable.Row("detection p99, enrichment on", e.on().p(0.99), "enrichment off p99", e.off().p(0.99), "ms",
                false));
            table.add(new BenchTable.Row("enrichment added p99", e.addedP99(), TARGET, TARGET_ENRICHMENT_P99_MILLIS, "ms", false));
            table.add(new BenchTable.Row("CPU per record, enrichment on", e.on().cpuMicrosPerRecord(), "enrichment off",
                e.off().cpuMicrosPerRecord(), "us", false));
        }
        table.print(out);
        out.printf(Locale.ROOT, "%ntargets (issue #15)%n");
        out.printf(Locale.ROOT, "  build from the directory <= %.0f s (%d roles, %d accounts):  %7.1f   %s%n", TARGET_BUILD_SECONDS, roles,
            accounts, seconds, verdict(seconds <= TARGET_BUILD_SECONDS));
        out.printf(Locale.ROOT, "  build peak heap <= %.0f MB (-Xmx%s):                  %7.0f   %s%n", TARGET_HEAP_MB, heap, heapMb,
            verdict(heapMb <= TARGET_HEAP_MB && b.run().exitCode() == 0));
        out.printf(Locale.ROOT, "  blast-radius p99 <= %.0f ms on %d principals:          %7.1f   %s%n", TARGET_QUERY_P99_MILLIS,
            q.principals(), q.p(ours, 0.99), verdict(q.p(ours, 0.99) <= TARGET_QUERY_P99_MILLIS));
        if (e != null) {
            out.printf(Locale.ROOT, "  enrichment adds <= %.0f ms p99 (on %.0f - off %.0f):            %7.1f   %s%n",
                TARGET_ENRICHMENT_P99_MILLIS, e.on().p(0.99), e.off().p(0.99), e.addedP99(),
                verdict(e.addedP99() <= TARGET_ENRICHMENT_P99_MILLIS && e.on().enriched() == e.on().alerts() && e.on().alerts() > 0));
        }
        out.printf(Locale.ROOT, "%nnotes%n");
        out.printf(Locale.ROOT, "  build: %d nodes, %d edges; in its JVM read %.1f s + build %.1f s, wall time %.1f s with JVM start, "
            + "CPU time %.1f s (all threads; wall time above CPU time means other processes had the cores); peak heap = sum of the heap "
            + "pools' peaks (an upper bound); peak resident memory %.0f MB; load average at the end %.1f on %d cores%n", b.nodes(),
            b.edges(), b.read(), b.build(), seconds, b.cpu(), b.run().peakRss() / 1048576.0,
            ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(),
            Runtime.getRuntime().availableProcessors());
        out.printf(Locale.ROOT, "  parse: Jackson readTree of every file of the build snapshot, this JVM, best of two passes%n");
        out.printf(Locale.ROOT, "  queries: %d principals sampled (seed %d) after %d warm-up queries, --max-hops %d, on a graph of %d "
            + "principals and %d edges built in %.1f s (this JVM); mean %.0f nodes reached; max %.1f ms%n", ours.length, seed,
            warmUp(), maxHops, q.principals(), q.edges(), q.buildSeconds(), q.meanReached(), ours[ours.length - 1]);
        out.printf(Locale.ROOT, "  thread CPU time of the querying thread (what the query costs whatever else runs): p50 %.1f ms, p99 %.1f "
            + "ms, max %.1f ms; wall time includes waiting for a core and collector pauses%n", q.p(oursCpu, 0.5), q.p(oursCpu, 0.99),
            oursCpu[oursCpu.length - 1]);
        out.printf(Locale.ROOT, "  during the timed queries (both searches): %d garbage collections, %d ms; slowest: %s%n", q.gcCount(),
            q.gcMillis(), q.slowest());
        if (e != null) {
            out.printf(Locale.ROOT, "  enrichment: production detection topology (exactly-once, 1 thread) on one in-JVM broker, %d "
                + "principals each with a summary on %s, %d records/s with %.0f%% raising alerts, %d pairs of %d s runs "
                + "(off, on; on, off; ...) after a warm-up; latency = raw record appended to alert readable (read_committed); "
                + "on: %d alerts, %d with accessSummary (%d latencies); off: %d alerts, %d with accessSummary (%d latencies)%n",
                e.principals(), Topics.ACCESS_SUMMARIES, e.rate(), enrichmentSuspicious * 100, e.rounds(), e.seconds(),
                e.on().alerts(), e.on().enriched(), e.on().millis().length, e.off().alerts(), e.off().enriched(),
                e.off().millis().length);
            out.printf(Locale.ROOT, "  enrichment CPU: the applications' client threads during the measured loads, per offered record "
                + "(on includes the access stage reading the IAM changes); the latency difference is that of two runs' tails: below "
                + "zero, or above the target on a loaded machine, it is the runs' noise, not the lookup's cost%n");
        }
        out.printf(Locale.ROOT, "  BFS without paths: the same edges, hop limit and start, visiting node ids only (no paths, confidence, "
            + "administrator path or risk score): the floor of the search%n");
    }

    private static String verdict(boolean pass) {
        return pass ? "PASS" : "FAIL";
    }

    private int warmUp() {
        return Math.min(200, queries);
    }

    /** Seconds to read every file of {@code dir} into a Jackson tree. */
    static double parse(Path dir) throws IOException {
        long started = System.nanoTime();
        long nodes = 0;
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : files.sorted().toList()) {
                JsonNode root = JSON.readTree(file.toFile());
                nodes += root.size();
            }
        }
        if (nodes < 0) {
            throw new IllegalStateException("unreachable");
        }
        return (System.nanoTime() - started) / 1e9;
    }

    private Build build(Path snapshot, Path dir) throws IOException, InterruptedException {
        Path stdout = dir.resolve("build.out");
        Path stderr = dir.resolve("build.err");
        BenchJvm.Run run = BenchJvm.run(List.of("-Xmx" + heap), List.of(AccessBenchBuild.class.getName(), snapshot.toString()), stdout,
            stderr, 20);
        String err = Files.readString(stderr, StandardCharsets.UTF_8);
        if (run.exitCode() != 0) {
            return new Build(0, 0, 0, 0, 0, 0, run, err);
        }
        Map<String, String> fields = new HashMap<>();
        for (String part : Files.readString(stdout, StandardCharsets.UTF_8).strip().split(" ")) {
            String[] kv = part.split("=", 2);
            fields.put(kv[0], kv.length > 1 ? kv[1] : "");
        }
        return new Build(Double.parseDouble(fields.get("read")), Double.parseDouble(fields.get("build")),
            Long.parseLong(fields.get("nodes")), Long.parseLong(fields.get("edges")), Long.parseLong(fields.get("peakHeap")),
            Double.parseDouble(fields.get("cpu")), run, err);
    }

    private Queries queries(Path dir) throws IOException {
        long started = System.nanoTime();
        Snapshot snapshot = SnapshotReader.read(dir, AccessBenchSnapshot.options());
        AccessGraph graph = GraphBuilder.build(snapshot);
        double buildSeconds = (System.nanoTime() - started) / 1e9;
        List<String> principals = graph.nodes().values().stream().filter(Node::principal).map(Node::id).sorted().toList();
        SplittableRandom random = new SplittableRandom(seed);
        for (int i = 0; i < warmUp(); i++) {
            String arn = principals.get(random.nextInt(principals.size()));
            BlastRadius.of(graph, snapshot, arn, maxHops);
            reach(graph, arn, maxHops);
        }
        double[] millis = new double[queries];
        double[] baseline = new double[queries];
        double[] cpu = new double[queries];
        double[] baselineCpu = new double[queries];
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long reached = 0;
        System.gc();
        long[] gcBefore = gc();
        String slowest = "";
        for (int i = 0; i < queries; i++) {
            String arn = principals.get(random.nextInt(principals.size()));
            long c0 = threads.getCurrentThreadCpuTime();
            long t0 = System.nanoTime();
            BlastRadius radius = BlastRadius.of(graph, snapshot, arn, maxHops);
            long t1 = System.nanoTime();
            long c1 = threads.getCurrentThreadCpuTime();
            int plain = reach(graph, arn, maxHops);
            long t2 = System.nanoTime();
            long c2 = threads.getCurrentThreadCpuTime();
            millis[i] = (t1 - t0) / 1e6;
            baseline[i] = (t2 - t1) / 1e6;
            cpu[i] = (c1 - c0) / 1e6;
            baselineCpu[i] = (c2 - c1) / 1e6;
            reached += radius.reachable().size();
            if (i == 0 || millis[i] > Arrays.stream(millis, 0, i).max().orElse(0)) {
                slowest = String.format(Locale.ROOT, "%s (%d reached, %.1f ms; plain search %.1f ms)", arn, plain, millis[i], baseline[i]);
            }
            if (plain != radius.reachable().size()) {
                throw new IllegalStateException(arn + ": the blast radius reached " + radius.reachable().size()
                    + " nodes, the plain search " + plain);
            }
        }
        long[] gcAfter = gc();
        return new Queries(millis, baseline, cpu, baselineCpu, reached / (double) queries, principals.size(), graph.edges().size(),
            buildSeconds,
            gcAfter[0] - gcBefore[0], gcAfter[1] - gcBefore[1], slowest);
    }

    /** Collections and milliseconds spent collecting so far, every collector of this JVM. */
    private static long[] gc() {
        long count = 0;
        long millis = 0;
        for (java.lang.management.GarbageCollectorMXBean b : ManagementFactory.getGarbageCollectorMXBeans()) {
            count += Math.max(0, b.getCollectionCount());
            millis += Math.max(0, b.getCollectionTime());
        }
        return new long[] {count, millis};
    }

    /** Nodes reachable from {@code start} within {@code maxHops}, by a breadth-first search that keeps nothing but ids. */
    private static int reach(AccessGraph graph, String start, int maxHops) {
        Map<String, Integer> hops = new HashMap<>();
        hops.put(start, 0);
        ArrayDeque<String> queue = new ArrayDeque<>(List.of(start));
        while (!queue.isEmpty()) {
            String id = queue.poll();
            int h = hops.get(id);
            if (h == maxHops) {
                continue;
            }
            for (Edge e : graph.edgesFrom(id)) {
                if (hops.putIfAbsent(e.to(), h + 1) == null) {
                    queue.add(e.to());
                }
            }
        }
        return hops.size() - 1;
    }
}
