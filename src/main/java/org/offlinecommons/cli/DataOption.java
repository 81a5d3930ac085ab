package org.offlinecommons.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The {@code --data} option every command that touches the library shares. */
final class DataOption {
    @Option(names = "--data", paramLabel = "DIR", defaultValue = "data",
            description = "Folder holding the library (library.db). Default: ${DEFAULT-VALUE}")
    Path dir;
}
