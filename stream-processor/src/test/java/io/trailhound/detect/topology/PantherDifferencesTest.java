package io.trailhound.detect.topology;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.trailhound.avro.Alert;

/**
 * Issue 4 acceptance: where our logic deliberately differs from a Panther negative, this test says why. Each case of
 * {@code panther-differences.jsonl} is a Panther test event labelled "no alert" for one Panther rule that our rule
 * {@code ruleId} alerts on at MEDIUM or above, with the reason in {@code why}; the scorer counts them as false positives.
 */
class PantherDifferencesTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    @TempDir
    Path stateDir;

    static Stream<JsonNode> cases() throws IOException {
        return Files.readAllLines(Path.of("src/test/resources/panther-differences.jsonl"), StandardCharsets.UTF_8).stream()
                .filter(line -> !line.isBlank()).map(PantherDifferencesTest::parse);
    }

    @ParameterizedTest(name = "{index}: {0}")
    @MethodSource("cases")
    void shouldAlertWhereWeDeliberatelyDifferFromPanther(JsonNode c) throws IOException {
        assertTrue(c.path("why").asText().length() > 40, "each difference says why");
        try (TopologyFixture t = new TopologyFixture(Files.createTempDirectory(stateDir, "diff"))) {
            t.pipe(MAPPER.writeValueAsString(c.path("event")));
            List<Alert> alerts = t.alerts();
            String ruleId = c.path("ruleId").asText();
            assertTrue(alerts.stream().anyMatch(a -> a.getRuleId().equals(ruleId) && a.getSeverity().ordinal() >= 2),
                    c.path("pantherTest").asText() + ": expected " + ruleId + " at MEDIUM+, got "
                            + alerts.stream().map(Alert::getRuleId).toList());
        }
    }

    private static JsonNode parse(String line) {
        try {
            return MAPPER.readTree(line);
        } catch (IOException e) {
            throw new IllegalArgumentException("bad case line: " + line, e);
        }
    }
}
