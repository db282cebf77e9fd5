package io.trailhound.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.concurrent.Callable;

import io.trailhound.detect.topology.StreamProcessorConfig;
import io.trailhound.respond.ResponderConfig;
import io.trailhound.respond.safety.Approvers;
import io.trailhound.signing.Ed25519Keys;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code trailhound keygen approver|detector}: creates an Ed25519 key pair (#19). The private key goes to a new file only its
 * owner can read (never overwritten); the public half is printed as the configuration lines the responder needs.
 */
@Command(name = "keygen", mixinStandardHelpOptions = true,
    description = "Create an Ed25519 key pair: an approver's (signs 'trailhound approve/reject') or the stream processor's "
        + "(signs alerts and incidents). Prints the responder configuration lines that trust it.",
    subcommands = {KeygenCommand.Approver.class, KeygenCommand.Detector.class})
final class KeygenCommand implements Runnable {

    @Spec
    private CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** What both kinds share: the name, the directory, writing the private key. */
    abstract static class Generate implements Callable<Integer> {

        @Spec
        CommandSpec spec;

        @Option(names = "--name", required = true, paramLabel = "NAME",
            description = "Approver name (as 'approve --as' gives it) or detection key id; 1-64 of A-Z a-z 0-9 . _ @ -")
        String name;

        @Option(names = "--out", required = true, paramLabel = "DIR", description = "Directory the private key NAME.key is written to.")
        Path out;

        @Override
        public Integer call() throws IOException {
            if (!name.matches("[A-Za-z0-9._@-]{1,64}")) {
                spec.commandLine().getErr().println("--name must be 1-64 of A-Z a-z 0-9 . _ @ -, was: " + name);
                return 2;
            }
            Files.createDirectories(out);
            Path file = out.resolve(name + ".key");
            KeyPair pair = Ed25519Keys.generate();
            try {
                Ed25519Keys.writePrivateKey(file, pair.getPrivate());
            } catch (FileAlreadyExistsException e) {
                spec.commandLine().getErr().println(file + " exists: a key is never overwritten");
                return 2;
            }
            PrintWriter err = spec.commandLine().getErr();
            err.println("Private key written to " + file + " (owner read/write only). Keep it secret; never commit it.");
            print(spec.commandLine().getOut(), file, Ed25519Keys.publicKeyText(pair.getPublic()));
            return 0;
        }

        abstract void print(PrintWriter out, Path file, String publicKey);
    }

    @Command(name = "approver", mixinStandardHelpOptions = true,
        description = "An approver's key pair; prints the three responder lines (public key, runbooks, accounts) to add.")
    static final class Approver extends Generate {

        @Option(names = "--runbooks", paramLabel = "GLOBS", defaultValue = "*",
            description = "Runbook ids (globs, comma-separated) the approver may decide on (default: ${DEFAULT-VALUE}).")
        String runbooks;

        @Option(names = "--accounts", paramLabel = "GLOBS", defaultValue = "*",
            description = "Account ids (globs, comma-separated) the approver may decide on (default: ${DEFAULT-VALUE}).")
        String accounts;

        @Override
        void print(PrintWriter out, Path file, String publicKey) {
            out.println("# responder.properties: approver " + name + " (decides with 'trailhound approve --as " + name + " --key "
                + file + " ID')");
            out.println(Approvers.PREFIX + name + Approvers.PUBLIC_KEY + "=" + publicKey);
            out.println(Approvers.PREFIX + name + Approvers.RUNBOOKS + "=" + runbooks);
            out.println(Approvers.PREFIX + name + Approvers.ACCOUNTS + "=" + accounts);
        }
    }

    @Command(name = "detector", mixinStandardHelpOptions = true,
        description = "The stream processor's signing key; prints its settings and the responder's trusted-key entry.")
    static final class Detector extends Generate {

        @Override
        void print(PrintWriter out, Path file, String publicKey) {
            out.println("# stream-processor.properties (mount the key file as a secret)");
            out.println(StreamProcessorConfig.SIGNING_KEY_FILE_CONFIG + "=" + file.toAbsolutePath());
            out.println(StreamProcessorConfig.SIGNING_KEY_ID_CONFIG + "=" + name);
            out.println("# responder.properties (append to the list during a key rotation)");
            out.println(ResponderConfig.ALERTS_TRUSTED_KEYS_CONFIG + "=" + name + ":" + publicKey);
        }
    }
}
