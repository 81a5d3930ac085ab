package org.offlinecommons.drive;

import java.util.List;

/**
 * A drive and the packs on it.
 *
 * @param fileSystem the file system type ("vfat", "exfat", "ext4"...), or null if unknown
 * @param freeBytes  -1 when unknown
 * @param partial    the drive holds so many files that looking stopped early
 */
public record DriveReport(Drive drive, String fileSystem, long freeBytes, long totalBytes, List<FoundPack> packs,
                          boolean partial) {

    public DriveReport {
        packs = List.copyOf(packs);
    }
}
