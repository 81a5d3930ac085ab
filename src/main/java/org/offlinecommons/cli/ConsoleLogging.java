package org.offlinecommons.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.spi.ContextAwareBase;

/**
 * The logging setup of every process: one line per event on standard output, where systemd's
 * journal or the terminal collects it. Registered as logback's {@link Configurator} service instead
 * of a {@code logback.xml}: reading XML loads and runs logback's whole configuration framework and
 * an XML parser, ~0.6 s of a loaded small box's start (docs/performance.md, "Startup").
 *
 * <p>The level is {@code OFFLINE_COMMONS_LOG_LEVEL} (a system property, else the environment;
 * default INFO). Someone who wants their own XML passes {@code -Dlogback.configurationFile=...} and
 * logback reads it as usual.
 */
public final class ConsoleLogging extends ContextAwareBase implements Configurator {

    /** {@code %msg} is escaped ({@link EscapedMessageConverter}): names in messages come from outside. */
    static final String PATTERN = "%d{HH:mm:ss.SSS} %-5level %logger{20} - %msg%n";
    static final String LEVEL_VARIABLE = "OFFLINE_COMMONS_LOG_LEVEL";

    @Override
    public ExecutionStatus configure(LoggerContext context) {
        if (System.getProperty("logback.configurationFile") != null) {
            return ExecutionStatus.INVOKE_NEXT_IF_ANY;
        }
        @SuppressWarnings("unchecked")
        java.util.Map<String, String> rules = (java.util.Map<String, String>) context
                .getObject(ch.qos.logback.core.CoreConstants.PATTERN_RULE_REGISTRY);
        if (rules == null) {
            rules = new java.util.HashMap<>();
            context.putObject(ch.qos.logback.core.CoreConstants.PATTERN_RULE_REGISTRY, rules);
        }
        for (String word : new String[] {"msg", "m", "message"}) {
            rules.put(word, EscapedMessageConverter.class.getName());
        }
        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(context);
        encoder.setPattern(PATTERN);
        encoder.start();
        ConsoleAppender<ILoggingEvent> console = new ConsoleAppender<>();
        console.setContext(context);
        console.setName("STDOUT");
        console.setEncoder(encoder);
        console.start();
        Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        root.setLevel(rootLevel());
        root.addAppender(console);
        context.getLogger("org.eclipse.jetty").setLevel(Level.WARN);
        context.getLogger("io.javalin").setLevel(Level.WARN);
        // JmDNS logs every failed send with a stack trace (a network that drops multicast); discovery says it once.
        context.getLogger("javax.jmdns").setLevel(Level.ERROR);
        return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
    }

    static Level rootLevel() {
        String value = System.getProperty(LEVEL_VARIABLE, System.getenv(LEVEL_VARIABLE));
        return value == null || value.isBlank() ? Level.INFO : Level.toLevel(value.strip(), Level.INFO);
    }
}
