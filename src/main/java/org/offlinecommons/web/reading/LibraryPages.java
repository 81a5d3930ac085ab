package org.offlinecommons.web.reading;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.offlinecommons.app.PackDownloads;
import org.offlinecommons.app.PackShelf;
import org.offlinecommons.web.download.DownloadRoutes;
import org.offlinecommons.notes.NoteEntry;
import org.offlinecommons.notes.NotesRenderer;
import org.offlinecommons.pack.ItemKind;
import org.offlinecommons.pack.PackManifest;
import org.offlinecommons.store.Item;
import org.offlinecommons.store.Library;
import org.offlinecommons.store.PackRecord;
import org.offlinecommons.store.SearchHit;
import org.offlinecommons.store.SearchResults;
import org.offlinecommons.store.StoredFile;
import org.offlinecommons.web.ErrorView;
import org.offlinecommons.web.HomeView;
import org.offlinecommons.web.Html;
import org.offlinecommons.web.HttpProblem;
import org.offlinecommons.web.Layout;
import org.offlinecommons.web.Messages;
import org.offlinecommons.web.PackView;
import org.offlinecommons.web.Pager;
import org.offlinecommons.web.ReaderView;
import org.offlinecommons.web.SearchView;
import org.offlinecommons.web.content.ContentUrls;

/**
 * Builds the reading pages' views from the library: all the choosing and wording happens here,
 * so the handlers stay thin and the templates only lay things out.
 */
public final class LibraryPages {

    /** One row of cards on a desktop; with no more packs than this, the row would repeat them all. */
    public static final int RECENT_COUNT = 3;
    public static final int TOC_PAGE_SIZE = 100;
    public static final int SEARCH_PAGE_SIZE = 10;
    /** Search uses the first dozen words anyway; this only keeps a pasted essay off the page. */
    public static final int MAX_QUERY_CHARS = 500;
    private static final int MAX_PAGE = 10_000;
    /** A zone as `date` prints it in a notes heading, e.g. EDT or CEST. */
    private static final Pattern ZONE_ABBREVIATION = Pattern.compile("\\b([A-Z]{2,5})\\b");

    private final Library library;
    private final Messages t;
    private final Layout base;
    private final PackText text;
    private final PackShelf shelf;

    public LibraryPages(Library library, Messages messages, Layout base) {
        this(library, messages, base, new PackShelf(library, new PackDownloads(library, false)));
    }

    /** With {@code shelf} saying which downloads each pack offers. */
    public LibraryPages(Library library, Messages messages, Layout base, PackShelf shelf) {
        this.shelf = shelf;
        this.library = library;
        this.t = messages;
        this.base = base;
        this.text = new PackText(library);
    }

    public HomeView home(String requestedLanguage) {
        List<PackRecord> all = library.catalog().packs();
        Map<String, Integer> counts = new TreeMap<>();
        all.forEach(p -> counts.merge(p.language(), 1, Integer::sum));
        String language = requestedLanguage != null && counts.containsKey(requestedLanguage) ? requestedLanguage : null;
        List<HomeView.LanguageChoice> choices = new ArrayList<>();
        if (counts.size() > 1) {
            choices.add(new HomeView.LanguageChoice(t.get("home.allLanguages"), all.size(), PageUrls.home(),
                    language == null));
            counts.entrySet().stream()
                    .map(e -> new HomeView.LanguageChoice(languageName(e.getKey()), e.getValue(),
                            PageUrls.home(e.getKey()), e.getKey().equals(language)))
                    // In the interface's alphabetical order: "Arabe, Chinois, Hindi" in French, by sound in Chinese.
                    .sorted(Comparator.comparing(HomeView.LanguageChoice::label,
                            java.text.Collator.getInstance(t.locale())))
                    .forEach(choices::add);
        }
        List<HomeView.PackCard> recent = language != null || all.size() <= RECENT_COUNT ? List.of()
                : all.stream().sorted(Comparator.comparingLong(PackRecord::installedAt).reversed())
                        .limit(RECENT_COUNT).map(this::card).toList();
        List<HomeView.PackCard> packs = all.stream()
                .filter(p -> language == null || p.language().equals(language)).map(this::card).toList();
        return new HomeView(base, all.size(), recent, packs, choices, language);
    }

    private HomeView.PackCard card(PackRecord p) {
        return new HomeView.PackCard(p.title(), p.description() == null ? "" : p.description(),
                PageUrls.pack(p.id()), initial(p.title()), languageName(p.language()), langTag(p.language()),
                t.format("pack.items", p.itemCount()), t.size(p.totalSize()),
                library.catalog().file(p.id(), PackManifest.ICON_PATH).isPresent()
                        ? ContentUrls.file(p.id(), PackManifest.ICON_PATH) : null, downloads(p));
    }

    public PackView pack(String packId, int requestedPage) {
        PackRecord pack = pack(packId);
        int itemCount = pack.itemCount();
        int pages = Math.max(1, (itemCount + TOC_PAGE_SIZE - 1) / TOC_PAGE_SIZE);
        int page = Math.max(1, Math.min(pages, requestedPage));
        // One page read by index: the pack page costs the same for ten items or a million.
        List<Item> shown = library.catalog().items(packId, (page - 1) * TOC_PAGE_SIZE, TOC_PAGE_SIZE);
        List<PackView.Folder> folders = new ArrayList<>();
        String currentFolder = null;
        List<PackView.Entry> run = null;
        for (Item item : shown) {
            String folder = folderOf(item.path());
            if (run == null || !folder.equals(currentFolder)) {
                run = new ArrayList<>();
                folders.add(new PackView.Folder(folder.isEmpty() ? null : folder, run));
                currentFolder = folder;
            }
            run.add(new PackView.Entry(item.title(), PageUrls.item(packId, item), item.kind(), kindLabel(item.kind()),
                    shortDate(item.timestamp()), item.timestamp()));
        }
        List<PackView.Fact> facts = new ArrayList<>();
        facts.add(new PackView.Fact(t.get("pack.language"), languageName(pack.language())));
        facts.add(new PackView.Fact(t.get("pack.license"),
                blank(pack.license()) ? t.get("pack.licenseUnknown") : pack.license()));
        facts.add(new PackView.Fact(t.get("pack.authors"),
                pack.authors().isEmpty() ? t.get("pack.authorsUnknown") : String.join(", ", pack.authors())));
        facts.add(new PackView.Fact(t.get("pack.version"), Long.toString(pack.version())));
        facts.add(new PackView.Fact(t.get("pack.size"), t.size(pack.totalSize())));
        facts.add(new PackView.Fact(t.get("pack.itemCount"), t.format("pack.items", itemCount)));
        if (!blank(pack.created())) {
            facts.add(new PackView.Fact(t.get("pack.created"), pack.created()));
        }
        Pager pager = pages == 1 ? Pager.NONE : new Pager(
                page > 1 ? PageUrls.pack(packId, page - 1) : null,
                page < pages ? PageUrls.pack(packId, page + 1) : null,
                t.format("pager.label", page, pages));
        Layout layout = base.titled(pack.title()).searching(null, null);
        return new PackView(layout, packId, pack.title(), pack.description() == null ? "" : pack.description(),
                langTag(pack.language()), startUrl(pack), facts, folders, pager, downloads(pack));
    }

    Library library() {
        return library;
    }

    /** Grows when a download is prepared: a page showing download sizes may then be out of date. */
    long downloadsPrepared() {
        return shelf.downloadsPrepared();
    }

    private List<PackView.Download> downloads(PackRecord pack) {
        return shelf.shelved(pack).offers().stream().map(o -> new PackView.Download(
                t.get("download." + o.kind().extension()), o.kind().extension().toUpperCase(Locale.ROOT),
                DownloadRoutes.url(pack.id(), o.kind()),
                o.length().isPresent() ? t.size(o.length().getAsLong()) : t.get("download.sizeUnknown"))).toList();
    }

    private String startUrl(PackRecord pack) {
        if (pack.entry() != null) {
            return library.catalog().firstItemAt(pack.id(), pack.entry())
                    // The entry route redirects nested pages so their relative links work.
                    .filter(item -> !ItemKind.HTML.id().equals(item.kind()))
                    .map(item -> PageUrls.item(pack.id(), item))
                    .orElse(ContentUrls.packRoot(pack.id()));
        }
        return library.catalog().items(pack.id(), 0, 1).stream().findFirst().map(item -> PageUrls.item(pack.id(), item)).orElse(null);
    }

    /** The item at a reader address; web pages are not shown here but at their own address. */
    public Item item(String packId, String position) {
        pack(packId);
        int pos;
        try {
            pos = Integer.parseInt(position);
        } catch (NumberFormatException e) {
            throw HttpProblem.notFound("error.noItem", position);
        }
        return library.catalog().item(packId, pos)
                .orElseThrow(() -> HttpProblem.notFound("error.noItem", position));
    }

    public static boolean isWebPage(Item item) {
        return ItemKind.HTML.id().equals(item.kind()) && item.entry() == null;
    }

    public ReaderView read(String packId, Item item) {
        PackRecord pack = pack(packId);
        StoredFile file = library.catalog().file(packId, item.path())
                .orElseThrow(() -> HttpProblem.notFound("error.noItem", item.position()));
        String fileUrl = ContentUrls.file(packId, item.path());
        ItemKind kind = ItemKind.fromId(item.kind()).orElse(ItemKind.TEXT);
        String bodyHtml = null;
        boolean preformatted = false;
        ReaderView.Media media = null;
        String notice = null;
        String heading = null;
        if (kind == ItemKind.NOTES && item.entry() != null) {
            Optional<List<NoteEntry>> entries = text.notes(file);
            if (entries.isPresent() && item.entry() >= entries.get().size()) {
                notice = t.get("reader.missingEntry");
            } else if (entries.isPresent()) {
                NoteEntry entry = entries.get().get(item.entry());
                heading = entry.heading();
                if (entry.body().isBlank()) {
                    notice = t.get("reader.emptyEntry");
                } else {
                    String html = withoutTitleLine(NotesRenderer.toHtml(entry.body()), item.title());
                    bodyHtml = html.isBlank() ? null : html;
                }
            } else {
                notice = t.get("reader.tooLarge");
            }
        } else if (kind == ItemKind.MARKDOWN) {
            Optional<String> markdown = text.read(file, PackText.MAX_DOCUMENT_BYTES);
            if (markdown.isPresent()) {
                bodyHtml = MarkdownHtml.render(markdown.get(), item.title(), item.path(), itemUrls(packId));
            } else {
                notice = t.get("reader.tooLarge");
            }
        } else if (kind == ItemKind.TEXT || kind == ItemKind.NOTES) {
            Optional<String> plain = text.read(file, PackText.MAX_DOCUMENT_BYTES);
            if (plain.isPresent()) {
                bodyHtml = Html.escape(plain.get());
                preformatted = true;
            } else {
                notice = t.get("reader.tooLarge");
            }
        } else if (kind == ItemKind.HTML) {
            notice = t.get("reader.webPage");
        } else {
            media = new ReaderView.Media(kind.id(), fileUrl, item.title());
        }
        String date = longDate(item.timestamp(), heading);
        Layout layout = base.titled(item.title() + " · " + pack.title()).searching(null, null);
        return new ReaderView(layout, pack.title(), PageUrls.pack(packId), langTag(pack.language()), item.title(),
                kindLabel(item.kind()),
                date, date == null ? null : item.timestamp(), bodyHtml, preformatted, media, notice, fileUrl,
                t.format(item.entry() != null ? "reader.downloadNotes" : "reader.download", t.size(file.size())),
                openLabel(kind),
                neighbour(packId, item.position() - 1), neighbour(packId, item.position() + 1));
    }

    /**
     * An entry's title is usually its first line; shown as the page's heading, it need not be
     * read twice. Only an exact one-line paragraph is dropped, so no text is ever lost.
     */
    public static String withoutTitleLine(String html, String title) {
        String firstLine = "<p>" + Html.escape(title) + "</p>";
        if (html.startsWith(firstLine)) {
            return html.substring(firstLine.length()).stripLeading();
        }
        return html;
    }

    private String openLabel(ItemKind kind) {
        return switch (kind) {
            case PDF -> t.get("reader.openPdf");
            case HTML -> t.get("reader.openPage");
            default -> null;
        };
    }

    /** Where the reader shows the document at a path, for links between documents; looked up per link. */
    private UnaryOperator<String> itemUrls(String packId) {
        Map<String, String> seen = new HashMap<>();
        return path -> seen.computeIfAbsent(path, p -> library.catalog().firstItemAt(packId, p)
                .map(item -> PageUrls.item(packId, item)).orElse(ContentUrls.file(packId, p)));
    }

    private ReaderView.Neighbour neighbour(String packId, int position) {
        if (position < 0) {
            return null;
        }
        return library.catalog().item(packId, position)
                .map(i -> new ReaderView.Neighbour(i.title(), PageUrls.item(packId, i))).orElse(null);
    }

    /**
     * Runs {@code work}, an answer built around {@link #search} of the same words, at once when
     * that search needs no turn (its answer is at hand), else when the search gate gives it one.
     */
    public <T> CompletableFuture<T> whenSearchAllows(String rawQuery, String rawPackId, int requestedPage,
                                                     Supplier<T> work) {
        String query = limit(rawQuery == null ? "" : rawQuery.strip());
        String packId = blank(rawPackId) ? null : rawPackId.strip();
        int offset = (Math.max(1, Math.min(MAX_PAGE, requestedPage)) - 1) * SEARCH_PAGE_SIZE;
        return library.search().answersAtOnce(query, packId, SEARCH_PAGE_SIZE, offset)
                ? CompletableFuture.completedFuture(work.get())
                : library.search().gate().submit(work);
    }

    public SearchView search(String rawQuery, String rawPackId, int requestedPage) {
        String query = limit(rawQuery == null ? "" : rawQuery.strip());
        String packId = blank(rawPackId) ? null : rawPackId.strip();
        PackRecord scope = packId == null ? null : pack(packId);
        int page = Math.max(1, Math.min(MAX_PAGE, requestedPage));
        Layout layout = base.searching(query, packId);
        String scopeTitle = scope == null ? null : scope.title();
        String wideUrl = scope == null || query.isEmpty() ? null : PageUrls.search(query, null, 1);
        if (query.isEmpty()) {
            return new SearchView(layout.titled(t.get("search.title")), t.get("search.title"), null, scopeTitle,
                    null, List.of(), 1, t.get("search.prompt"), Pager.NONE);
        }
        int offset = (page - 1) * SEARCH_PAGE_SIZE;
        SearchResults found = library.search().search(query, packId, SEARCH_PAGE_SIZE, offset);
        List<SearchView.Result> results = new ArrayList<>();
        Map<String, String> packLanguages = new HashMap<>();
        for (SearchHit hit : found.hits()) {
            Item item = hit.item();
            results.add(new SearchView.Result(item.title(), PageUrls.item(hit.packId(), item), hit.packTitle(),
                    PageUrls.pack(hit.packId()), kindLabel(item.kind()), shortDate(item.timestamp()),
                    item.timestamp(), hit.snippet().isBlank() ? null : SnippetHtml.render(hit.snippet()),
                    packLanguages.computeIfAbsent(hit.packId(),
                            id -> library.catalog().pack(id).map(p -> langTag(p.language())).orElse(null))));
        }
        int pages = Math.max(1, (found.total() + SEARCH_PAGE_SIZE - 1) / SEARCH_PAGE_SIZE);
        String hint = null;
        if (found.total() == 0) {
            hint = t.get(scope == null ? "search.none" : "search.noneInPack");
        } else if (results.isEmpty()) {
            hint = t.get("search.pastEnd");
        }
        Pager pager = found.total() <= SEARCH_PAGE_SIZE ? Pager.NONE : new Pager(
                page > 1 ? PageUrls.search(query, packId, Math.min(page - 1, pages)) : null,
                page < pages ? PageUrls.search(query, packId, page + 1) : null,
                t.format("pager.label", page, pages));
        String heading = t.format("search.heading", query);
        String suggestion = found.suggestion();
        return new SearchView(layout.titled(heading), heading, t.format("search.count", found.total()), scopeTitle,
                wideUrl, results, offset + 1, hint, pager, suggestion,
                suggestion == null ? null : PageUrls.search(suggestion, packId, 1));
    }

    public ErrorView error(int status, String detail) {
        String key = switch (status) {
            case 400, 404, 503 -> "error." + status;
            default -> status >= 500 ? "error.500" : "error.other";
        };
        String heading = t.get(key + ".heading");
        return new ErrorView(base.titled(heading), status, heading, t.get(key + ".text"), detail);
    }

    private PackRecord pack(String packId) {
        return library.catalog().pack(packId)
                .orElseThrow(() -> HttpProblem.notFound("error.noPack", packId));
    }

    public String kindLabel(String kind) {
        String label = t.get("kind." + kind);
        return label.equals("kind." + kind) ? kind : label;
    }

    private static String langTag(String tag) {
        return blank(tag) || tag.equals("und") ? null : tag;
    }

    /** A pack's language in the interface's language ("Arabe" in French), as the filter and cards show it. */
    public String languageName(String tag) {
        if (blank(tag) || tag.equals("und")) {
            return t.get("language.unknown");
        }
        return t.languageName(tag);
    }

    private String shortDate(String iso) {
        OffsetDateTime time = parse(iso);
        return time == null ? null : DateTimeFormatter.ofPattern(t.get("date.short"), t.locale()).format(time);
    }

    /** "Saturday 16 March 2013, 12:24 EDT": the zone as the author's notes named it, if they did. */
    private String longDate(String iso, String heading) {
        OffsetDateTime time = parse(iso);
        if (time == null) {
            return null;
        }
        String when = DateTimeFormatter.ofPattern(t.get("date.long"), t.locale()).format(time);
        String zone = null;
        if (heading != null) {
            Matcher m = ZONE_ABBREVIATION.matcher(heading);
            if (m.find()) {
                zone = m.group(1);
            }
        }
        if (zone == null) {
            zone = time.getOffset().equals(ZoneOffset.UTC) ? "UTC" : "UTC" + time.getOffset().getId();
        }
        return t.format("date.withZone", when, zone);
    }

    private static OffsetDateTime parse(String iso) {
        if (iso == null) {
            return null;
        }
        try {
            return OffsetDateTime.parse(iso);
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    private static String folderOf(String path) {
        int slash = path.lastIndexOf('/');
        return slash < 0 ? "" : path.substring(0, slash);
    }

    private static String initial(String title) {
        for (int i = 0; i < title.length(); ) {
            int cp = title.codePointAt(i);
            if (Character.isLetterOrDigit(cp)) {
                return new String(Character.toChars(Character.toUpperCase(cp)));
            }
            i += Character.charCount(cp);
        }
        return "•";
    }

    private static String limit(String query) {
        if (query.length() <= MAX_QUERY_CHARS) {
            return query;
        }
        int end = MAX_QUERY_CHARS;
        if (Character.isHighSurrogate(query.charAt(end - 1))) {
            end--;
        }
        return query.substring(0, end);
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}
