package org.offlinecommons.drive;

import java.nio.file.Path;
import java.util.List;

/**
 * A folder under which removable drives appear, and how deep: {@code /media} at depth 2 finds
 * {@code /media/ana/STICK}. Each folder at exactly that depth is taken to be a drive.
 */
public record MountRoot(Path path, int depth) {

    /**
     * Where Linux desktops and servers mount sticks: udisks uses /media/USER/LABEL (older ones
     * /media/LABEL), Fedora and Arch /run/media/USER/LABEL, and admins often /mnt/usb.
     */
    public static final List<MountRoot> LINUX_DEFAULTS = List.of(
            new MountRoot(Path.of("/media"), 1),
            new MountRoot(Path.of("/media"), 2),
            new MountRoot(Path.of("/mnt"), 1),
            new MountRoot(Path.of("/run/media"), 2));

    public MountRoot {
        if (depth < 1) {
            throw new IllegalArgumentException("A mount root's drives lie at least one level below it");
        }
    }

    /** A folder given by an admin: each folder directly in it is a drive. */
    public static MountRoot of(Path path) {
        return new MountRoot(path, 1);
    }
}
