package org.offlinecommons.cli;

import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.Callable;
import org.offlinecommons.admin.AdminPassword;
import org.offlinecommons.admin.Audit;
import org.offlinecommons.store.Library;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * Sets the admin password. Whoever can run commands on the server's own disk is the admin
 * already, so no old password is asked for: this is also how a forgotten one is replaced.
 */
@Command(name = "admin-password", mixinStandardHelpOptions = true,
        description = {"Set a new admin password for the web pages. Asks for it twice (nothing is shown while you type),"
                + " or reads it from --password-file (- for standard input).",
                "Admins who are logged in must log in again, also on a running server."})
final class AdminPasswordCommand implements Callable<Integer> {

    @Mixin
    DataOption data;

    @Option(names = "--password-file", paramLabel = "FILE",
            description = "Read the password from the first line of FILE, or of standard input for -")
    Path passwordFile;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        char[] password = passwordFile == null ? prompt() : firstLine(spec, passwordFile, "--password-file").toCharArray();
        try {
            String problem = AdminPassword.problem(password);
            if (problem != null) {
                spec.commandLine().getErr().println("offline-commons: " + problem + "; the password was not changed");
                return Main.EXIT_REFUSED;
            }
            try (Library library = Library.open(data.dir)) {
                new AdminPassword(library).set(password);
                new Audit(library).record("change admin password", "set on the server's command line", Audit.LOCAL);
            }
        } finally {
            Arrays.fill(password, '\0');
        }
        spec.commandLine().getOut().println("The admin password was changed. Admins who were logged in must log in again.");
        return 0;
    }

    private char[] prompt() {
        Console console = System.console();
        if (console == null) {
            throw new ParameterException(spec.commandLine(), "There is no terminal to type the password on;"
                    + " use --password-file FILE, or --password-file - to read it from standard input");
        }
        char[] first = console.readPassword("New admin password (at least %d characters): ", AdminPassword.MIN_LENGTH);
        char[] second = console.readPassword("The same again: ");
        if (first == null || second == null || !Arrays.equals(first, second)) {
            if (first != null) {
                Arrays.fill(first, '\0');
            }
            throw new ParameterException(spec.commandLine(), "The two passwords differ; nothing was changed");
        }
        Arrays.fill(second, '\0');
        return first;
    }

    /** The first line of {@code file} ({@code -}: standard input), without its line ending. */
    static String firstLine(CommandSpec spec, Path file, String option) {
        try {
            BufferedReader reader = file.toString().equals("-")
                    ? new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))
                    : Files.newBufferedReader(file, StandardCharsets.UTF_8);
            try {
                String line = reader.readLine();
                if (line == null || line.isEmpty()) {
                    throw new ParameterException(spec.commandLine(), option + ": " + file + " is empty");
                }
                return line;
            } finally {
                if (!file.toString().equals("-")) {
                    reader.close();
                }
            }
        } catch (IOException e) {
            throw new ParameterException(spec.commandLine(), option + ": cannot read " + file + ": " + e.getMessage());
        }
    }
}
