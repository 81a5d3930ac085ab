package org.offlinecommons.drive;

import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Set;

/** What the operating system says about the disk holding a path. */
@FunctionalInterface
public interface Disks {

    /** The real disks, as the JDK reports them. */
    Disks SYSTEM = path -> {
        FileStore store = Files.getFileStore(path);
        return Disk.of(store.type(), store.getUsableSpace(), store.getTotalSpace());
    };

    Disk of(Path path) throws IOException;

    /**
     * A file system: its type as Linux names it ("ext4", "vfat", "exfat"...), its space, and
     * the largest file it can hold.
     */
    record Disk(String type, long usableBytes, long totalBytes, long maxFileBytes) {

        /** The largest file FAT32 can hold: its sizes are 32-bit numbers. */
        public static final long FAT32_MAX_FILE_BYTES = (1L << 32) - 1;

        private static final Set<String> FAT = Set.of("vfat", "msdos", "fat", "fat32", "umsdos");

        /** A disk whose file size limit follows from its type. */
        public static Disk of(String type, long usableBytes, long totalBytes) {
            boolean fat = type != null && FAT.contains(type.toLowerCase(Locale.ROOT));
            return new Disk(type, usableBytes, totalBytes, fat ? FAT32_MAX_FILE_BYTES : Long.MAX_VALUE);
        }

        public boolean isFat() {
            return type != null && FAT.contains(type.toLowerCase(Locale.ROOT));
        }
    }
}
