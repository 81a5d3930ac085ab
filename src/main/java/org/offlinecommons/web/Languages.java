package org.offlinecommons.web;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.FileSystem;
import java.nio.file.FileSystemAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The languages the interface is translated into (one {@code web/messages_XX.properties} each,
 * found on the class path, so a school's new file counts without a list to update), and which of
 * them a visitor gets.
 */
public final class Languages {

    /** Longer than any browser sends; a longer header is not worth parsing. */
    static final int MAX_ACCEPT_LANGUAGE_CHARS = 1024;
    private static final Pattern BUNDLE_NAME = Pattern.compile("messages(?:_([A-Za-z0-9_]+))?\\.properties");

    /** By language tag ("en", "fr", "zh"), in the order of {@link #tags()}. */
    private final Map<String, Messages> byTag;
    private final String serverDefault;
    /** Each language's name in its own words, made on first use (ICU's data loads in the background first). */
    private volatile Map<String, String> autonyms;

    private Languages(Map<String, Messages> byTag, String serverDefault) {
        this.byTag = Collections.unmodifiableMap(byTag);
        this.serverDefault = serverDefault;
    }

    /**
     * Every bundle on the class path; the server's default is {@code preferred} (or its language,
     * {@code pt-BR} -> {@code pt}), else English.
     */
    public static Languages load(Locale preferred) {
        Map<String, Messages> byTag = new LinkedHashMap<>();
        byTag.put("en", Messages.load(Locale.ROOT));
        for (String suffix : bundleSuffixes()) {
            Locale locale = new Locale.Builder().setLanguageTag(suffix.replace('_', '-')).build();
            byTag.put(locale.toLanguageTag(), Messages.load(locale));
        }
        Languages all = new Languages(byTag, "en");
        String chosen = preferred == null ? null : all.match(preferred.toLanguageTag());
        return new Languages(byTag, chosen == null ? "en" : chosen);
    }

    /** The language tags of the bundles, English first: "en", "ar", "bn", ... */
    public List<String> tags() {
        return List.copyOf(byTag.keySet());
    }

    public String serverDefault() {
        return serverDefault;
    }

    public Messages messages(String tag) {
        return byTag.get(tag);
    }

    /** The language in its own words: "Français", "العربية", "中文". */
    public String autonym(String tag) {
        Map<String, String> names = autonyms;
        if (names == null) {
            names = new LinkedHashMap<>();
            for (Map.Entry<String, Messages> e : byTag.entrySet()) {
                names.put(e.getKey(), Messages.autonym(e.getValue()));
            }
            autonyms = names;
        }
        return names.getOrDefault(tag, tag);
    }

    public Messages serverDefaultMessages() {
        return byTag.get(serverDefault);
    }

    /** The bundle for {@code tag} or the nearest one ({@code pt-BR} -> {@code pt}), or null for none. */
    public String match(String tag) {
        if (tag == null || tag.isBlank() || tag.length() > 64) {
            return null;
        }
        return lookup(List.of(new Locale.LanguageRange(tag.strip().toLowerCase(Locale.ROOT))));
    }

    /**
     * The visitor's language: the one they chose in the menu (the cookie), else the best of what
     * their browser asks for (quality values first, then each range's shorter forms, RFC 4647
     * lookup), else the server's default.
     */
    public String choose(String cookie, String acceptLanguage) {
        if (cookie != null && byTag.containsKey(cookie)) {
            return cookie;
        }
        String accepted = fromAcceptLanguage(acceptLanguage);
        return accepted != null ? accepted : serverDefault;
    }

    private String fromAcceptLanguage(String header) {
        if (header == null || header.isBlank() || header.length() > MAX_ACCEPT_LANGUAGE_CHARS) {
            return null;
        }
        List<Locale.LanguageRange> ranges;
        try {
            ranges = Locale.LanguageRange.parse(header);
        } catch (IllegalArgumentException e) {
            // A malformed header is a browser's mistake, not the visitor's: the default serves.
            return null;
        }
        // "*" alone asks for nothing in particular: the server's default answers it.
        return lookup(ranges);
    }

    private String lookup(List<Locale.LanguageRange> ranges) {
        List<Locale.LanguageRange> wanted = new ArrayList<>();
        for (Locale.LanguageRange r : ranges) {
            if (r.getWeight() > 0 && !r.getRange().equals("*")) {
                wanted.add(r);
            }
        }
        if (wanted.isEmpty()) {
            return null;
        }
        String found = Locale.lookupTag(wanted, byTag.keySet().stream().map(t -> t.toLowerCase(Locale.ROOT)).toList());
        if (found == null) {
            return null;
        }
        for (String tag : byTag.keySet()) {
            if (tag.equalsIgnoreCase(found)) {
                return tag;
            }
        }
        return null;
    }

    /** The XX of every messages_XX.properties beside messages.properties, in the jar or a folder. */
    private static List<String> bundleSuffixes() {
        URL base = Languages.class.getClassLoader().getResource("web/messages.properties");
        if (base == null) {
            return List.of();
        }
        try {
            URI uri = base.toURI();
            if (uri.getScheme().equals("jar")) {
                FileSystem fs;
                boolean opened = false;
                try {
                    fs = FileSystems.newFileSystem(uri, Map.of());
                    opened = true;
                } catch (FileSystemAlreadyExistsException e) {
                    fs = FileSystems.getFileSystem(uri);
                }
                try {
                    return suffixes(fs.provider().getPath(uri).getParent());
                } finally {
                    if (opened) {
                        fs.close();
                    }
                }
            }
            return suffixes(Path.of(uri).getParent());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not list the interface's translations next to " + base, e);
        }
    }

    private static List<String> suffixes(Path dir) throws IOException {
        List<String> out = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path p : (Iterable<Path>) files.sorted()::iterator) {
                Matcher m = BUNDLE_NAME.matcher(p.getFileName().toString());
                if (m.matches() && m.group(1) != null) {
                    out.add(m.group(1));
                }
            }
        }
        return out;
    }
}
