package org.offlinecommons.cli;

import ch.qos.logback.classic.pattern.ClassicConverter;
import ch.qos.logback.classic.spi.ILoggingEvent;

/** {@code %msg} with {@link TerminalText#escape}: one log line per event, whatever a name holds. */
public final class EscapedMessageConverter extends ClassicConverter {

    @Override
    public String convert(ILoggingEvent event) {
        return TerminalText.escape(event.getFormattedMessage());
    }
}
