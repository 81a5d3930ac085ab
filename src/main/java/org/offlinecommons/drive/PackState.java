package org.offlinecommons.drive;

import java.util.Locale;

/** How a pack file found on a drive compares with the library. */
public enum PackState {
    /** Not in the library. */
    NEW,
    /** A higher version than the one installed. */
    NEWER,
    /** The very pack the library has. */
    INSTALLED,
    /** A lower version than the one installed; importing it would change nothing. */
    OLDER,
    /** Refused: damaged, unsafe, or at odds with the installed pack; the reason says which. */
    INVALID,
    /** Changed moments ago: probably still being copied, so not read yet. */
    COPYING;

    /** Whether importing it would add or update a pack. */
    public boolean importable() {
        return this == NEW || this == NEWER;
    }

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }
}
