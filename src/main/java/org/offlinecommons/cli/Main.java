package org.offlinecommons.cli;

import java.io.PrintWriter;
import org.offlinecommons.pack.PackException;
import org.offlinecommons.store.StoreException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code offline-commons} command. */
@Command(name = "offline-commons", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Offline Commons: a library of open educational content packs for a school's LAN.",
        subcommands = {ServeCommand.class, PackCommand.class, ImportCommand.class, ListCommand.class,
                ExportCommand.class, DeleteCommand.class, VerifyCommand.class, SyncCommand.class,
                MirrorCommand.class, DrivesCommand.class, BackupCommand.class, RestoreCommand.class,
                AdminPasswordCommand.class, PeersCommand.class, RepairCommand.class, CommandLine.HelpCommand.class})
public final class Main implements Runnable {

    /** Exit code for bad input (a refused pack, a wrong argument). */
    static final int EXIT_REFUSED = 2;
    /** Exit code for damage found by verify. */
    static final int EXIT_DAMAGED = 3;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /**
     * Jetty pads its concurrent counters to the references per cache line. Unless told, it asks the
     * JVM whether references are compressed through the platform MBean server, whose start loads
     * ~450 JMX classes: 0.1-0.2 s of a small box's start (docs/performance.md, "Startup").
     */
    static final String JETTY_REFERENCES_PER_CACHE_LINE = "org.eclipse.jetty.util.referencesPerCacheLine";

    public static void main(String[] args) {
        if (System.getProperty(JETTY_REFERENCES_PER_CACHE_LINE) == null) {
            System.setProperty(JETTY_REFERENCES_PER_CACHE_LINE, Integer.toString(referencesPerCacheLine()));
        }
        // A subcommand is about to open a library: start what it needs while picocli reads the arguments.
        boolean command = args.length > 0 && !args[0].startsWith("-") && !args[0].equals("help");
        System.exit(run(command ? WarmUp.start() : WarmUp.NONE, args));
    }

    /** What Jetty would find: 64-byte lines, 4-byte references below a 32 GB heap (compressed oops), else 8. */
    static int referencesPerCacheLine() {
        return Runtime.getRuntime().maxMemory() < 32L * 1024 * 1024 * 1024 ? 16 : 8;
    }

    static int run(String... args) {
        return run(WarmUp.NONE, args);
    }

    static int run(WarmUp warmUp, String... args) {
        CommandLine cli = new CommandLine(new Main());
        CommandLine.IExecutionStrategy commands = new CommandLine.RunLast();
        cli.setExecutionStrategy(parsed -> {
            if (!helpRequested(parsed)) {
                warmUp.await();
            }
            return commands.execute(parsed);
        });
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            PrintWriter err = commandLine.getErr();
            if (e instanceof PackException || e instanceof StoreException) {
                err.println("offline-commons: " + e.getMessage());
                return EXIT_REFUSED;
            }
            throw e;
        });
        return cli.execute(args);
    }

    private static boolean helpRequested(CommandLine.ParseResult parsed) {
        for (CommandLine.ParseResult p = parsed; p != null; p = p.subcommand()) {
            if (p.isUsageHelpRequested() || p.isVersionHelpRequested()) {
                return true;
            }
        }
        return false;
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** The version from the jar's manifest, when there is one. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Main.class.getPackage().getImplementationVersion();
            return new String[] {"Offline Commons " + (v == null ? "(development build)" : v)};
        }
    }
}
