package org.offlinecommons.drive;

import java.nio.file.Path;

/** A place packs may be found: a removable drive, or the server's own inbox folder. */
public record Drive(Path path, String label, boolean inbox) {

    static Drive inbox(Path path) {
        return new Drive(path, "Inbox", true);
    }

    static Drive removable(Path path) {
        Path name = path.getFileName();
        return new Drive(path, name == null ? path.toString() : name.toString(), false);
    }
}
