package io.trailhound.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The throughput verdict of {@code bench detect} over several rounds. */
class DetectBenchReportTest {

    @Test
    void shouldJudgeOneRoundByItsOwnRatio() {
        DetectBenchReport report = new DetectBenchReport(10, 1, 1, 1);
        report.identityEos = 80_000;
        report.detectEos = 20_000;
        assertEquals(0.25, report.throughputRatio(), 1e-9);
        report.eosRounds.add(new double[] {80_000, 20_000});
        assertEquals(0.25, report.throughputRatio(), 1e-9);
    }

    @Test
    void shouldJudgeSeveralRoundsByTheMedianOfTheirRatiosNotTheRatioOfMedians() {
        DetectBenchReport report = new DetectBenchReport(10, 1, 1, 1);
        report.identityEos = 100_000;
        report.detectEos = 10_000;
        report.eosRounds.add(new double[] {100_000, 10_000}); // 0.10
        report.eosRounds.add(new double[] {50_000, 20_000}); // 0.40
        report.eosRounds.add(new double[] {60_000, 15_000}); // 0.25
        assertEquals(0.25, report.throughputRatio(), 1e-9);
        // the medians' ratio would be 15,000 / 60,000 here too; a fourth round tells them apart
        report.eosRounds.add(new double[] {40_000, 18_000}); // 0.45
        assertEquals((0.25 + 0.40) / 2, report.throughputRatio(), 1e-9);
    }

    @Test
    void shouldTakeTheMiddleOrTheMeanOfTheTwoMiddleValues() {
        assertEquals(3, DetectBenchReport.median(new double[] {5, 1, 3}), 1e-9);
        assertEquals(2.5, DetectBenchReport.median(new double[] {4, 1, 3, 2}), 1e-9);
        assertEquals(7, DetectBenchReport.median(new double[] {7}), 1e-9);
    }
}
