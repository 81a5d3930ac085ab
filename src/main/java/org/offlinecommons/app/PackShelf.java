package org.offlinecommons.app;

import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.OptionalLong;
import java.util.function.Predicate;
import org.offlinecommons.store.Library;
import org.offlinecommons.store.PackRecord;

/**
 * The packs as a catalog shows them (the OPDS feeds, and pages listing downloads): all of them by
 * title, the newest first, those of one language; a page at a time, each with its downloads.
 */
public final class PackShelf {

    public static final int PAGE_SIZE = 50;

    /** A download on offer: its kind and, when known, its length in bytes. */
    public record Offer(PackDownloads.Kind kind, OptionalLong length) {
    }

    /** A pack and its downloads (none when downloads are off). */
    public record Shelved(PackRecord pack, List<Offer> offers) {
    }

    /** One page of packs; {@code page} counts from 1. */
    public record Page(List<Shelved> packs, int page, boolean hasNext) {
    }

    private final Library library;
    private final PackDownloads downloads;

    public PackShelf(Library library, PackDownloads downloads) {
        this.library = library;
        this.downloads = downloads;
    }

    /** Grows each time a download is prepared, so its length becomes known; see {@link PackDownloads#prepared()}. */
    public long downloadsPrepared() {
        return downloads.prepared();
    }

    public Page all(int page) {
        return page(library.catalog().packs().stream().sorted(BY_TITLE).toList(), page);
    }

    public Page newest(int page) {
        return page(library.catalog().packs().stream()
                .sorted(Comparator.comparingLong(PackRecord::installedAt).reversed().thenComparing(BY_TITLE)).toList(),
                page);
    }

    /** The packs whose language is {@code tag} or a variant of it ({@code pt} holds {@code pt-BR}). */
    public Page language(String tag, int page) {
        String want = tag.toLowerCase(Locale.ROOT);
        Predicate<PackRecord> speaks = p -> {
            String l = p.language().toLowerCase(Locale.ROOT);
            return l.equals(want) || l.startsWith(want + "-");
        };
        return page(library.catalog().packs().stream().filter(speaks).sorted(BY_TITLE).toList(), page);
    }

    /** The packs whose title, description, id or authors contain every word of {@code query}, ignoring case. */
    public Page search(String query, int page) {
        List<String> words = List.of(query.toLowerCase(Locale.ROOT).strip().split("\\s+")).stream()
                .filter(w -> !w.isEmpty()).toList();
        Predicate<PackRecord> matches = p -> {
            String text = (p.title() + " " + p.description() + " " + p.id() + " " + String.join(" ", p.authors()))
                    .toLowerCase(Locale.ROOT);
            return words.stream().allMatch(text::contains);
        };
        return page(library.catalog().packs().stream().filter(matches).sorted(BY_TITLE).toList(), page);
    }

    /** Every language of the installed packs (primary subtags: {@code pt} for {@code pt-BR}), sorted. */
    public List<String> languages() {
        return library.catalog().packs().stream()
                .map(p -> p.language().split("-", 2)[0].toLowerCase(Locale.ROOT)).distinct().sorted().toList();
    }

    /** One pack with its downloads. */
    public Shelved shelved(PackRecord pack) {
        if (!downloads.enabled()) {
            return new Shelved(pack, List.of());
        }
        return new Shelved(pack, List.of(PackDownloads.Kind.values()).stream()
                .map(k -> new Offer(k, downloads.length(pack, k))).toList());
    }

    private Page page(List<PackRecord> sorted, int page) {
        int p = Math.max(1, page);
        int from = (int) Math.min(sorted.size(), (long) (p - 1) * PAGE_SIZE);
        int to = Math.min(sorted.size(), from + PAGE_SIZE);
        return new Page(sorted.subList(from, to).stream().map(this::shelved).toList(), p, to < sorted.size());
    }

    private static final Comparator<PackRecord> BY_TITLE =
            Comparator.comparing((PackRecord r) -> r.title().toLowerCase(Locale.ROOT)).thenComparing(PackRecord::id);
}
