package org.offlinecommons.it;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs the real {@code target/offline-commons.jar} in its own JVM, as an admin would: for tests
 * that need a small heap, a kill -9, or the packaged CLI.
 */
public final class JarProcess {

    public static final Path JAR = Path.of("target", "offline-commons.jar");
    private static final Pattern URL = Pattern.compile("(http://[^\\s]+/)");

    /** A finished command's exit code and output. */
    public record Result(int exitCode, String out, String err) {
    }

    private JarProcess() {
    }

    public static List<String> command(List<String> jvmArgs, String... args) {
        if (!Files.isRegularFile(JAR)) {
            throw new IllegalStateException(JAR + " is missing: integration tests run after `mvn package`");
        }
        List<String> cmd = new ArrayList<>();
        cmd.add(ProcessHandle.current().info().command().orElse("java"));
        cmd.addAll(jvmArgs);
        cmd.add("-jar");
        cmd.add(JAR.toAbsolutePath().toString());
        cmd.addAll(List.of(args));
        return cmd;
    }

    public static Result run(String... args) throws IOException, InterruptedException {
        Path out = Files.createTempFile("oc-out", ".txt");
        Path err = Files.createTempFile("oc-err", ".txt");
        try {
            Process p = new ProcessBuilder(command(List.of("-Xmx256m"), args))
                    .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            if (!p.waitFor(10, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                throw new IllegalStateException("timed out: " + String.join(" ", args));
            }
            return new Result(p.exitValue(), Files.readString(out), Files.readString(err));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    public static Process start(List<String> jvmArgs, String... args) throws IOException {
        return new ProcessBuilder(command(jvmArgs, args)).redirectErrorStream(true).start();
    }

    /** Reads the server's output until it prints the URL it listens on. */
    public static String awaitUrl(Process server) throws IOException {
        BufferedReader reader = new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8));
        StringBuilder seen = new StringBuilder();
        String line;
        while ((line = reader.readLine()) != null) {
            seen.append(line).append('\n');
            Matcher m = URL.matcher(line);
            if (line.contains("is serving") && m.find()) {
                Thread drain = new Thread(() -> {
                    try {
                        while (reader.readLine() != null) {
                            // Keep the pipe empty so the server never blocks on logging.
                        }
                    } catch (IOException ignored) {
                        // Server stopped.
                    }
                }, "server-output");
                drain.setDaemon(true);
                drain.start();
                return m.group(1);
            }
        }
        throw new IllegalStateException("server exited before listening:\n" + seen);
    }
}
