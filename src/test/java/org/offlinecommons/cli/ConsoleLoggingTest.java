package org.offlinecommons.cli;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** The logging every process gets: what logback.xml used to say, set up without reading XML. */
class ConsoleLoggingTest {

    @Test
    void logbackFindsItAsAServiceAndLogsToStandardOutput() {
        // This JVM's own logging: configured through META-INF/services, as every process is.
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        assertThat(root.getAppender("STDOUT")).isInstanceOf(ConsoleAppender.class);
        assertThat(root.getLevel()).isEqualTo(ConsoleLogging.rootLevel());
        assertThat(context.getLogger("org.eclipse.jetty").getLevel()).isEqualTo(Level.WARN);
        assertThat(context.getLogger("io.javalin").getLevel()).isEqualTo(Level.WARN);
        assertThat(context.getLogger("javax.jmdns").getLevel()).isEqualTo(Level.ERROR);
        assertThat(context.getLogger("javax.jmdns.impl.JmDNSImpl").getEffectiveLevel()).isEqualTo(Level.ERROR);
    }

    @Test
    void aLineReadsAsBefore() {
        LoggerContext context = configured();
        Logger logger = context.getLogger(ServeCommand.class);
        LoggingEvent event = new LoggingEvent(Logger.class.getName(), logger, Level.INFO, "Stopping {}", null,
                new Object[] {"now"});
        @SuppressWarnings("unchecked")
        ConsoleAppender<ILoggingEvent> console =
                (ConsoleAppender<ILoggingEvent>) context.getLogger(Logger.ROOT_LOGGER_NAME).getAppender("STDOUT");
        String line = new String(console.getEncoder().encode(event), StandardCharsets.UTF_8);
        assertThat(line).matches("\\d\\d:\\d\\d:\\d\\d\\.\\d\\d\\d INFO  o\\.o\\.cli\\.ServeCommand - Stopping now"
                + System.lineSeparator());
        assertThat(((PatternLayoutEncoder) console.getEncoder()).getPattern()).isEqualTo(ConsoleLogging.PATTERN);
    }

    @Test
    void namesInMessagesCannotDriveTheTerminalOrForgeALine() {
        LoggerContext context = configured();
        Logger logger = context.getLogger(ServeCommand.class);
        LoggingEvent event = new LoggingEvent(Logger.class.getName(), logger, Level.WARN, "refused {}", null,
                new Object[] {"a\u001b[2J\u001b]0;owned\u0007.html\n12:00:00.000 INFO  forged \u202e\u009b"});
        @SuppressWarnings("unchecked")
        ConsoleAppender<ILoggingEvent> console =
                (ConsoleAppender<ILoggingEvent>) context.getLogger(Logger.ROOT_LOGGER_NAME).getAppender("STDOUT");
        String line = new String(console.getEncoder().encode(event), StandardCharsets.UTF_8);
        assertThat(line).endsWith(" - refused a\\u001b[2J\\u001b]0;owned\\u0007.html\\u000a12:00:00.000 INFO  forged"
                + " \\u202e\\u009b" + System.lineSeparator());
    }

    @Test
    void theLevelComesFromTheVariable() {
        String before = System.getProperty(ConsoleLogging.LEVEL_VARIABLE);
        try {
            System.setProperty(ConsoleLogging.LEVEL_VARIABLE, "debug");
            assertThat(configured().getLogger(Logger.ROOT_LOGGER_NAME).getLevel()).isEqualTo(Level.DEBUG);
            System.setProperty(ConsoleLogging.LEVEL_VARIABLE, "WARN");
            assertThat(configured().getLogger(Logger.ROOT_LOGGER_NAME).getLevel()).isEqualTo(Level.WARN);
            System.setProperty(ConsoleLogging.LEVEL_VARIABLE, " ");
            assertThat(configured().getLogger(Logger.ROOT_LOGGER_NAME).getLevel()).isEqualTo(Level.INFO);
        } finally {
            if (before == null) {
                System.clearProperty(ConsoleLogging.LEVEL_VARIABLE);
            } else {
                System.setProperty(ConsoleLogging.LEVEL_VARIABLE, before);
            }
        }
    }

    @Test
    void anXmlConfigurationNamedOnTheCommandLineWins() {
        String before = System.getProperty("logback.configurationFile");
        try {
            System.setProperty("logback.configurationFile", "/etc/offline-commons/logback.xml");
            LoggerContext context = new LoggerContext();
            ConsoleLogging logging = new ConsoleLogging();
            logging.setContext(context);
            assertThat(logging.configure(context)).isEqualTo(Configurator.ExecutionStatus.INVOKE_NEXT_IF_ANY);
            assertThat(context.getLogger(Logger.ROOT_LOGGER_NAME).getAppender("STDOUT")).isNull();
        } finally {
            if (before == null) {
                System.clearProperty("logback.configurationFile");
            } else {
                System.setProperty("logback.configurationFile", before);
            }
        }
    }

    private static LoggerContext configured() {
        LoggerContext context = new LoggerContext();
        ConsoleLogging logging = new ConsoleLogging();
        logging.setContext(context);
        assertThat(logging.configure(context)).isEqualTo(Configurator.ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY);
        return context;
    }
}
