package org.offlinecommons.cli;

import java.util.List;
import java.util.concurrent.Callable;
import org.offlinecommons.pack.Sizes;
import org.offlinecommons.store.Library;
import org.offlinecommons.store.PackRecord;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "list", mixinStandardHelpOptions = true, description = "List the packs in the library.")
final class ListCommand implements Callable<Integer> {

    @Mixin
    DataOption data;

    @Override
    public Integer call() {
        try (Library library = Library.open(data.dir)) {
            List<PackRecord> packs = library.catalog().packs();
            if (packs.isEmpty()) {
                System.out.println("The library is empty. Add packs with: offline-commons import FILE.zip");
                return 0;
            }
            System.out.printf("%-24s %7s  %-8s %6s %10s  %s%n", "ID", "VERSION", "LANGUAGE", "ITEMS", "SIZE", "TITLE");
            for (PackRecord p : packs) {
                System.out.printf("%-24s %7d  %-8s %6d %10s  %s%n", p.id(), p.version(), p.language(), p.itemCount(),
                        Sizes.human(p.totalSize()), p.title());
            }
        }
        return 0;
    }
}
