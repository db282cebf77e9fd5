package io.trailhound.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.awt.image.BufferedImage;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.Assumptions;

/**
 * Debian's {@code chromium} in headless mode, for tests that look at our SVG pictures as a person would: an HTML page with the
 * SVG inline is rendered to a PNG ({@code --screenshot}), and its DOM after layout is dumped ({@code --dump-dom}) with the
 * text of every SVG text element the browser laid out with a non-empty box inside the picture and inside its node's box (a
 * script on the page writes them into a hidden element). Without the binary a test is skipped, unless
 * {@code TRAILHOUND_REQUIRE_CHROMIUM=true} (what {@code .ci/run} sets after installing it) or
 * {@code -Dtrailhound.require.chromium=true} says it must run: then it fails.
 */
final class HeadlessChromium {

    static final String REQUIRED_ENV = "TRAILHOUND_REQUIRE_CHROMIUM";
    static final String REQUIRED_PROPERTY = "trailhound.require.chromium";
    private static final Pattern SIZE = Pattern.compile("<svg[^>]*\\swidth=\"(\\d+)\"[^>]*\\sheight=\"(\\d+)\"");
    private static final Pattern CSP = Pattern.compile("<meta http-equiv=\"Content-Security-Policy\"[^>]*>");
    private static final Pattern RENDERED = Pattern.compile("<pre id=\"rendered\"[^>]*>(.*?)</pre>", Pattern.DOTALL);
    // the text of every SVG text element laid out with a non-empty box inside its picture and, for a node's label, inside the
    // node's box: what a reader can see, not merely what the file contains
    private static final String SCRIPT = "<script>\n"
        + "const out = [];\n"
        + "const inside = (b, o) => b.left >= o.left - 1 && b.right <= o.right + 1 && b.top >= o.top - 1 && b.bottom <= o.bottom + 1;\n"
        + "for (const svg of document.querySelectorAll('svg')) {\n"
        + "  const area = svg.getBoundingClientRect();\n"
        + "  for (const t of svg.querySelectorAll('text')) {\n"
        + "    const b = t.getBoundingClientRect();\n"
        + "    const box = t.parentNode.tagName === 'g' ? t.parentNode.querySelector(':scope > rect') : null;\n"
        + "    if (b.width > 0 && b.height > 0 && inside(b, area) && (!box || inside(b, box.getBoundingClientRect()))) {\n"
        + "      out.push(t.textContent);\n"
        + "    }\n"
        + "  }\n"
        + "}\n"
        + "document.getElementById('rendered').textContent = out.join('\\n');\n"
        + "</script>\n";

    private final Path binary;
    private final Path work;

    private HeadlessChromium(Path binary, Path work) {
        this.binary = binary;
        this.work = work;
    }

    /** The browser, or the test is skipped (no binary, not required) or failed (no binary, required). */
    static HeadlessChromium require(Path work) {
        Optional<Path> found = find();
        boolean required = "true".equalsIgnoreCase(System.getenv(REQUIRED_ENV))
            || "true".equalsIgnoreCase(System.getProperty(REQUIRED_PROPERTY));
        if (found.isEmpty()) {
            if (required) {
                fail("headless Chromium is required (" + REQUIRED_ENV + "=true) but no chromium binary is on the PATH; "
                    + "install it with apt-get install -y chromium, or name it with TRAILHOUND_CHROMIUM=/path/to/chromium");
            }
            Assumptions.abort("no chromium on the PATH (apt-get install -y chromium); set " + REQUIRED_ENV
                + "=true to make this a failure");
        }
        return new HeadlessChromium(found.get(), work);
    }

    private static Optional<Path> find() {
        String named = System.getenv("TRAILHOUND_CHROMIUM");
        if (named != null && !named.isBlank()) {
            return Optional.of(Path.of(named)).filter(Files::isExecutable);
        }
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin").split(File.pathSeparator)) {
            for (String name : List.of("chromium", "chromium-browser")) {
                Path candidate = Path.of(dir, name);
                if (Files.isExecutable(candidate)) {
                    return Optional.of(candidate);
                }
            }
        }
        return Optional.empty();
    }

    /** What the browser made of one page: the screenshot and the texts it laid out inside the pictures. */
    record Rendered(Path screenshot, BufferedImage image, List<String> texts) {
    }

    /** Renders an HTML page with {@code svgs} inline (one after the other), as a screenshot and as laid-out text. */
    Rendered render(String name, String title, List<String> svgs) throws IOException, InterruptedException {
        int width = 200;
        int height = 0;
        StringBuilder body = new StringBuilder();
        for (String svg : svgs) {
            Matcher m = SIZE.matcher(svg);
            assertTrue(m.find(), "an svg element with width and height: " + svg.substring(0, Math.min(200, svg.length())));
            width = Math.max(width, Integer.parseInt(m.group(1)));
            height += Integer.parseInt(m.group(2)) + 4;
            body.append("<div>").append(svg).append("</div>\n");
        }
        return shoot(name, "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>" + title + "</title>"
            + "<style>body{margin:0;background:#fff} div{line-height:0}</style></head><body>\n" + body
            + "<pre id=\"rendered\" hidden></pre>\n" + SCRIPT + "</body></html>\n", width, height);
    }

    /**
     * Renders a whole page of ours (the HTML report) in a {@code width} x {@code height} window. The page forbids scripts
     * (its Content-Security-Policy), so that header is taken out and the text-collecting script added before it is loaded;
     * neither changes the layout.
     */
    Rendered renderPage(String name, String html, int width, int height) throws IOException, InterruptedException {
        String page = CSP.matcher(html).replaceFirst("");
        assertTrue(page.contains("</body>"), "a page with a body");
        return shoot(name, page.replace("</body>", "<pre id=\"rendered\" hidden></pre>\n" + SCRIPT + "</body>"), width, height);
    }

    private Rendered shoot(String name, String html, int width, int height) throws IOException, InterruptedException {
        Path page = work.resolve(name + ".html");
        Files.writeString(page, html, StandardCharsets.UTF_8);
        Path png = work.resolve(name + ".png");
        run(List.of("--hide-scrollbars", String.format(Locale.ROOT, "--window-size=%d,%d", Math.min(width, 4000), Math.min(height, 8000)),
            "--screenshot=" + png, page.toUri().toString()), work.resolve(name + ".screenshot.log"));
        assertTrue(Files.size(png) > 0, "chromium wrote no screenshot " + png);
        Path dom = work.resolve(name + ".dom.html");
        run(List.of("--virtual-time-budget=5000", "--dump-dom", page.toUri().toString()), dom);
        Matcher rendered = RENDERED.matcher(Files.readString(dom, StandardCharsets.UTF_8));
        assertTrue(rendered.find(), "the dumped DOM has the rendered texts: " + dom);
        List<String> texts = new ArrayList<>();
        for (String line : unescape(rendered.group(1)).split("\n")) {
            if (!line.isBlank()) {
                texts.add(line);
            }
        }
        return new Rendered(png, ImageIO.read(png.toFile()), texts);
    }

    private void run(List<String> args, Path stdout) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(binary.toString(), "--headless", "--no-sandbox", "--disable-gpu",
            "--disable-dev-shm-usage", "--no-first-run", "--user-data-dir=" + work.resolve("profile")));
        command.addAll(args);
        Path stderr = work.resolve("chromium.err");
        Process p = new ProcessBuilder(command).redirectOutput(stdout.toFile()).redirectError(stderr.toFile()).start();
        if (!p.waitFor(180, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail("chromium did not finish within 180 s: " + command);
        }
        assertEquals(0, p.exitValue(), () -> "chromium " + args + " exited with " + p.exitValue() + ": " + tail(stderr));
    }

    private static String tail(Path file) {
        try {
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 10), lines.size()));
        } catch (IOException e) {
            return e.toString();
        }
    }

    private static String unescape(String html) {
        return html.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&#39;", "'").replace("&nbsp;", " ")
            .replace("&amp;", "&");
    }

    /** Pixel statistics of a screenshot: how much is not white, how much is dark (text, lines), how many distinct colours. */
    record Pixels(double nonWhite, double dark, int colours, Set<Integer> palette) {

        static Pixels of(BufferedImage image) {
            long nonWhite = 0;
            long dark = 0;
            Set<Integer> colours = new HashSet<>();
            for (int y = 0; y < image.getHeight(); y++) {
                for (int x = 0; x < image.getWidth(); x++) {
                    int rgb = image.getRGB(x, y) & 0xffffff;
                    int r = rgb >> 16 & 0xff;
                    int g = rgb >> 8 & 0xff;
                    int b = rgb & 0xff;
                    if (rgb != 0xffffff) {
                        nonWhite++;
                    }
                    if (0.299 * r + 0.587 * g + 0.114 * b < 110) {
                        dark++;
                    }
                    if (colours.size() < 100_000) {
                        colours.add(rgb);
                    }
                }
            }
            double all = (double) image.getWidth() * image.getHeight();
            return new Pixels(nonWhite / all, dark / all, colours.size(), colours);
        }

        /** True when some pixel is within {@code tolerance} of {@code rgb} in each channel. */
        boolean has(int rgb, int tolerance) {
            return palette.stream().anyMatch(c -> Math.abs((c >> 16 & 0xff) - (rgb >> 16 & 0xff)) <= tolerance
                && Math.abs((c >> 8 & 0xff) - (rgb >> 8 & 0xff)) <= tolerance && Math.abs((c & 0xff) - (rgb & 0xff)) <= tolerance);
        }
    }
}
