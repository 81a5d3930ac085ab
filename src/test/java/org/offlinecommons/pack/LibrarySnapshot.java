package org.offlinecommons.pack;

import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import org.offlinecommons.store.Hashes;
import org.offlinecommons.store.Item;
import org.offlinecommons.store.Library;
import org.offlinecommons.store.PackRecord;
import org.offlinecommons.store.StoredFile;

/**
 * A digest over everything a reader of the library can see: packs, their metadata, items, and
 * every byte of every file. Equal snapshots mean nothing visible changed.
 */
public final class LibrarySnapshot {

    private LibrarySnapshot() {
    }

    public static String of(Library library) throws IOException {
        MessageDigest d = Hashes.sha256();
        for (PackRecord p : library.catalog().packs()) {
            update(d, p.id() + "|" + p.version() + "|" + p.digest() + "|" + p.title() + "|" + p.itemCount());
            for (Item i : library.catalog().items(p.id())) {
                update(d, i.toString());
            }
            for (StoredFile f : library.catalog().files(p.id())) {
                update(d, f.toString());
                try (InputStream in = library.chunks().open(library.chunks().recipe(f.sha256()).orElseThrow())) {
                    byte[] buf = new byte[1 << 16];
                    int n;
                    while ((n = in.read(buf)) > 0) {
                        d.update(buf, 0, n);
                    }
                }
            }
        }
        return Hashes.hex(d.digest());
    }

    private static void update(MessageDigest d, String s) {
        d.update(s.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        d.update((byte) 0);
    }
}
