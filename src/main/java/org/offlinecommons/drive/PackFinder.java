package org.offlinecommons.drive;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Looks for pack zips in a folder, read-only and within bounds: a few levels deep, a limited
 * number of files, never through symbolic links (a stick must not lead the server into its own
 * files), skipping hidden files (macOS's "._x.zip" twins, half-written ".x.zip.part" files) and
 * the folders operating systems keep on drives.
 */
final class PackFinder {

    /** Packs sit at the top of a stick or in a folder or two: "packs/science/x.zip". */
    static final int MAX_DEPTH = 3;
    /** Enough for any stick of packs; keeps a big disk mounted under /mnt from stalling a scan. */
    static final int MAX_VISITS = 10_000;
    private static final Set<String> SYSTEM_FOLDERS = Set.of("system volume information", "$recycle.bin",
            "lost+found", "recycler");

    record Result(List<Path> zips, boolean partial) {
    }

    private PackFinder() {
    }

    /** Zips in {@code folder}, sorted; {@code excluded} (the server's data folder) is not entered. */
    static Result find(Path folder, Path excluded) {
        List<Path> zips = new ArrayList<>();
        Deque<Path> dirs = new ArrayDeque<>();
        Deque<Integer> depths = new ArrayDeque<>();
        dirs.push(folder);
        depths.push(1);
        int visits = 0;
        while (!dirs.isEmpty()) {
            Path dir = dirs.pop();
            int depth = depths.pop();
            List<Path> children = new ArrayList<>();
            try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
                for (Path p : entries) {
                    if (++visits > MAX_VISITS) {
                        zips.sort(null);
                        return new Result(zips, true);
                    }
                    children.add(p);
                }
            } catch (IOException | SecurityException e) {
                continue; // unreadable folders (permissions, a drive pulled out) hold no packs we can use
            }
            children.sort(null);
            for (Path p : children) {
                String name = p.getFileName().toString();
                if (name.startsWith(".") || SYSTEM_FOLDERS.contains(name.toLowerCase(Locale.ROOT))) {
                    continue;
                }
                BasicFileAttributes attrs;
                try {
                    attrs = Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
                } catch (IOException e) {
                    continue;
                }
                if (attrs.isDirectory()) {
                    if (depth < MAX_DEPTH && !p.equals(excluded)) {
                        dirs.push(p);
                        depths.push(depth + 1);
                    }
                } else if (attrs.isRegularFile() && isZipName(name)) {
                    zips.add(p);
                }
            }
        }
        zips.sort(null);
        return new Result(zips, false);
    }

    /** Pack zips, ZIM files, and the first part of a split ZIM ({@code X.zimaa}; the other parts follow it). */
    static boolean isZipName(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        return (lower.endsWith(".zip") || lower.endsWith(".zim") || lower.endsWith(".zimaa")) && !name.startsWith(".");
    }
}
