package io.trailhound.deploy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A parsed Dockerfile: instructions with continuation lines joined, grouped by build stage, with the default values of
 * {@code ARG}s substituted into {@code FROM} and {@code USER} the way {@code docker build} does without build arguments.
 */
record Dockerfile(Path file, Map<String, String> globalArgs, List<Stage> stages) {

    private static final Pattern VARIABLE = Pattern.compile("\\$\\{?([A-Za-z_][A-Za-z0-9_]*)}?");

    /** One {@code FROM} and what follows it. */
    record Stage(String image, String alias, Map<String, String> args, List<Instruction> instructions) {

        List<Instruction> all(String keyword) {
            return instructions.stream().filter(i -> i.keyword().equals(keyword)).toList();
        }
    }

    /** One instruction: its keyword in upper case and its arguments as written. */
    record Instruction(String keyword, String arguments) {
    }

    static Dockerfile parse(Path file) {
        List<Instruction> instructions = instructions(RepositoryFiles.text(file));
        Map<String, String> global = new LinkedHashMap<>();
        List<Stage> stages = new ArrayList<>();
        Stage current = null;
        for (Instruction instruction : instructions) {
            if (instruction.keyword().equals("FROM")) {
                String[] parts = instruction.arguments().trim().split("\\s+");
                String alias = parts.length >= 3 && parts[parts.length - 2].equalsIgnoreCase("AS") ? parts[parts.length - 1] : "";
                String image = substitute(firstNonFlag(parts), global);
                current = new Stage(image, alias, new LinkedHashMap<>(), new ArrayList<>());
                stages.add(current);
            } else if (current == null) {
                if (instruction.keyword().equals("ARG")) {
                    putArg(global, instruction.arguments());
                }
            } else {
                if (instruction.keyword().equals("ARG")) {
                    putArg(current.args(), instruction.arguments());
                }
                current.instructions().add(instruction);
            }
        }
        return new Dockerfile(file, global, stages);
    }

    /** The stage the image is made of. */
    Stage last() {
        return stages.get(stages.size() - 1);
    }

    /** {@code text} with the stage's (then the global) ARG defaults substituted. */
    String resolve(Stage stage, String text) {
        Map<String, String> args = new LinkedHashMap<>(globalArgs);
        args.putAll(stage.args());
        return substitute(text, args);
    }

    private static String firstNonFlag(String[] parts) {
        for (String part : parts) {
            if (!part.startsWith("--")) {
                return part;
            }
        }
        throw new IllegalStateException("FROM without an image");
    }

    private static void putArg(Map<String, String> args, String declaration) {
        String text = declaration.trim();
        int eq = text.indexOf('=');
        args.put(eq < 0 ? text : text.substring(0, eq), eq < 0 ? "" : text.substring(eq + 1));
    }

    private static String substitute(String text, Map<String, String> args) {
        Matcher matcher = VARIABLE.matcher(text);
        StringBuilder out = new StringBuilder();
        while (matcher.find()) {
            matcher.appendReplacement(out, Matcher.quoteReplacement(args.getOrDefault(matcher.group(1), matcher.group())));
        }
        matcher.appendTail(out);
        return out.toString();
    }

    private static List<Instruction> instructions(String text) {
        List<Instruction> instructions = new ArrayList<>();
        StringBuilder pending = new StringBuilder();
        for (String raw : text.split("\n")) {
            String line = raw.strip();
            if (line.startsWith("#") || (line.isEmpty() && pending.isEmpty())) {
                continue;
            }
            boolean continues = line.endsWith("\\");
            pending.append(continues ? line.substring(0, line.length() - 1) : line).append(' ');
            if (!continues) {
                String joined = pending.toString().strip();
                pending.setLength(0);
                int space = joined.indexOf(' ');
                instructions.add(new Instruction(joined.substring(0, space).toUpperCase(), joined.substring(space + 1).strip()));
            }
        }
        return instructions;
    }
}
