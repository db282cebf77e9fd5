package io.trailhound.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import io.trailhound.connector.cloudtrail.CloudTrailS3SourceConfig;
import io.trailhound.connector.cloudtrail.MalformedTrailFileException;
import io.trailhound.connector.cloudtrail.TrailFileDecoder;

/**
 * The connector's side of the decompression bomb in {@code trailhound bench faults}, run as its own JVM with a capped heap:
 * the CloudTrail S3 source task's decoder ({@link TrailFileDecoder}, the code that reads every trail object before its records
 * are split) on the file named by the first argument, with {@code max.file.bytes} at its default. Prints the refusal (what
 * the task dead-letters the object with) and exits 1, or prints the decoded size and exits 0.
 */
final class FaultBenchDecoderBomb {

    private FaultBenchDecoderBomb() {
    }

    public static void main(String[] args) throws IOException {
        long max = (Long) CloudTrailS3SourceConfig.CONFIG_DEF.defaultValues().get(CloudTrailS3SourceConfig.MAX_FILE_BYTES_CONFIG);
        byte[] raw = Files.readAllBytes(Path.of(args[0]));
        try {
            byte[] json = TrailFileDecoder.gunzip(raw, max);
            System.out.println("decoded " + json.length + " bytes");
        } catch (MalformedTrailFileException e) {
            System.err.println("connector: refused " + args[0] + ": " + e.getMessage());
            System.exit(1);
        }
    }
}
