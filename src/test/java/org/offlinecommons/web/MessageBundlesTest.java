package org.offlinecommons.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.ibm.icu.text.MessagePattern;
import com.ibm.icu.text.PluralRules;
import com.ibm.icu.util.ULocale;
import java.io.IOException;
import java.io.StringReader;
import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every translation of {@code web/messages.properties} against the English: same keys, same
 * arguments, messages ICU can read, plural forms the language has. Each problem is reported as
 * "file: key: what is wrong", all of them at once, so a translator fixes a file in one go.
 */
class MessageBundlesTest {

    /** The languages issue #21 promises; a bundle that goes missing must not pass unnoticed. */
    private static final List<String> PROMISED = List.of("fr", "es", "pt", "ar", "sw", "hi", "zh", "id", "ru", "bn");

    private static final Pattern BUNDLE_NAME = Pattern.compile("messages_([A-Za-z0-9_]+)\\.properties");
    private static final Pattern TAG = Pattern.compile("</?[a-zA-Z][^>]*>");
    /** Before one of these, an ASCII apostrophe starts quoted text in ICU's default apostrophe mode. */
    private static final Pattern QUOTING_APOSTROPHE = Pattern.compile("'[{}#|]|''");
    private static final ZonedDateTime SAMPLE_TIME = ZonedDateTime.of(2013, 3, 16, 12, 24, 0, 0, ZoneOffset.UTC);
    /** Counts that reach every CLDR plural category of our languages (Arabic's and Russian's included). */
    private static final long[] COUNTS = {0, 1, 2, 3, 5, 11, 21, 22, 25, 100, 101, 102, 1234567};

    record Bundle(String fileName, String tag, Map<String, String> messages) {
        ULocale locale() {
            return ULocale.forLanguageTag(messages.getOrDefault("locale", tag));
        }
    }

    @Test
    void everyPromisedLanguageHasABundleThatResourceBundleFindsForIt() throws Exception {
        Map<String, Bundle> bundles = translations();
        assertThat(bundles.keySet()).containsAll(PROMISED);
        for (Bundle b : bundles.values()) {
            assertThat(Messages.load(localeOf(b)).locale().toLanguageTag()).as(b.fileName())
                    .isEqualTo(b.messages().get("locale"));
        }
        // The tags browsers send for these languages find them too (Java 17 maps "in" to "id").
        Map<String, String> asks = Map.of("zh-CN", "zh-Hans", "zh-Hans", "zh-Hans", "zh-SG", "zh-Hans",
                "id-ID", "id", "in", "id", "pt-BR", "pt", "ar-EG", "ar", "fr-CA", "fr", "es-419", "es");
        asks.forEach((tag, expected) -> {
            if (bundles.containsKey(Locale.forLanguageTag(expected).getLanguage())) {
                assertThat(Messages.load(Locale.forLanguageTag(tag)).locale().toLanguageTag()).as(tag)
                        .isEqualTo(expected);
            }
        });
    }

    @Test
    void everyBundleHasExactlyTheEnglishKeysArgumentsAndMarkup() throws Exception {
        Bundle english = english();
        List<String> problems = new ArrayList<>();
        for (Bundle b : translations().values()) {
            for (String key : english.messages().keySet()) {
                if (!b.messages().containsKey(key)) {
                    problems.add(b.fileName() + ": " + key + ": missing");
                }
            }
            for (Map.Entry<String, String> e : b.messages().entrySet()) {
                String key = e.getKey();
                String where = b.fileName() + ": " + key + ": ";
                String en = english.messages().get(key);
                if (en == null) {
                    problems.add(where + "not in messages.properties (a typo, or a key that was removed?)");
                    continue;
                }
                try {
                    Set<Integer> args = arguments(e.getValue());
                    if (!args.equals(arguments(en))) {
                        problems.add(where + "uses arguments " + args + ", the English " + arguments(en));
                    }
                    // The code may pass text where the English takes no number: a plural there would throw.
                    Map<Integer, Boolean> englishKinds = argumentKinds(en);
                    argumentKinds(e.getValue()).forEach((i, number) -> {
                        if (number && !englishKinds.getOrDefault(i, false)) {
                            problems.add(where + "{" + i + "} is a number or plural here, but plain text in the"
                                    + " English");
                        }
                    });
                } catch (IllegalArgumentException bad) {
                    problems.add(where + "ICU MessageFormat cannot read it: " + bad.getMessage());
                }
                if (!tags(e.getValue()).equals(tags(en))) {
                    problems.add(where + "has markup " + tags(e.getValue()) + ", the English " + tags(en));
                }
            }
        }
        assertThat(problems).isEmpty();
    }

    @Test
    void messagesParseAndUseOnlyTheirLanguagesPluralForms() throws Exception {
        List<String> problems = new ArrayList<>();
        List<Bundle> all = new ArrayList<>(translations().values());
        all.add(english());
        for (Bundle b : all) {
            ULocale locale = b.locale();
            Set<String> keywords = PluralRules.forLocale(locale).getKeywords();
            String dir = b.messages().get("dir");
            String expectedDir = locale.isRightToLeft() ? "rtl" : "ltr";
            if (!expectedDir.equals(dir)) {
                problems.add(b.fileName() + ": dir: is " + dir + ", " + locale + " is written " + expectedDir);
            }
            if (!b.tag().isEmpty() && !locale.getLanguage().equals(new ULocale(b.tag()).getLanguage())) {
                problems.add(b.fileName() + ": locale: " + locale + " is not the file's language " + b.tag());
            }
            for (Map.Entry<String, String> e : b.messages().entrySet()) {
                String where = b.fileName() + ": " + e.getKey() + ": ";
                if (QUOTING_APOSTROPHE.matcher(e.getValue()).find()) {
                    problems.add(where + "an apostrophe before { } # | (or a doubled one) quotes text: use \u2019");
                }
                try {
                    checkSelectors(new MessagePattern(e.getValue()), keywords, where, problems);
                } catch (IllegalArgumentException bad) {
                    problems.add(where + "ICU MessageFormat cannot read it: " + bad.getMessage());
                }
            }
        }
        assertThat(problems).isEmpty();
    }

    @Test
    void everyMessageAndDatePatternOfEveryBundleFormatsWithSampleArguments() throws Exception {
        Bundle english = english();
        List<String> problems = new ArrayList<>();
        List<Bundle> all = new ArrayList<>(translations().values());
        all.add(english);
        for (Bundle b : all) {
            Messages messages = Messages.load(localeOf(b));
            for (String key : List.of("date.short", "date.long")) {
                try {
                    String date = DateTimeFormatter.ofPattern(messages.get(key), messages.locale()).format(SAMPLE_TIME);
                    if (!date.contains("2013")) {
                        problems.add(b.fileName() + ": " + key + ": shows no year: " + date);
                    }
                } catch (RuntimeException bad) {
                    problems.add(b.fileName() + ": " + key + ": not a date pattern: " + bad.getMessage());
                }
            }
            for (String key : english.messages().keySet()) {
                Map<Integer, Boolean> numeric = argumentKinds(english.messages().get(key));
                if (numeric.isEmpty()) {
                    continue;
                }
                String where = b.fileName() + ": " + key + ": ";
                StringBuilder everything = new StringBuilder();
                int before = problems.size();
                for (long count : COUNTS) {
                    Object[] args = new Object[numeric.keySet().stream().mapToInt(i -> i).max().orElse(0) + 1];
                    numeric.forEach((i, isNumber) -> args[i] = isNumber ? (Object) count : "\u2039arg" + i + "\u203a");
                    try {
                        String text = messages.format(key, args);
                        if (text.isBlank() || text.contains("{") || text.contains("}")) {
                            problems.add(where + "formats " + count + " as \"" + text + "\"");
                            break;
                        }
                        everything.append(text);
                    } catch (RuntimeException bad) {
                        problems.add(where + "cannot format " + count + ": " + bad);
                        break;
                    }
                }
                numeric.forEach((i, isNumber) -> {
                    String sample = "\u2039arg" + i + "\u203a";
                    if (!isNumber && problems.size() == before && !everything.toString().contains(sample)) {
                        problems.add(where + "never shows {" + i + "} (quoted away by an apostrophe?)");
                    }
                });
            }
        }
        assertThat(problems).isEmpty();
    }

    /**
     * Keys no code asks for. A key counts as used when it appears as a string literal in
     * src/main/java or src/main/jte, or when the code builds it: a literal prefix ending in "."
     * joined to one more name ({@code "kind." + kind}), perhaps followed by a literal suffix
     * ({@code key + ".heading"}).
     */
    @Test
    void everyKeyIsUsedByTheCode() throws Exception {
        Set<String> literals = new HashSet<>();
        Set<String> prefixes = new HashSet<>();
        Set<String> suffixes = new HashSet<>();
        // Lookarounds, not a match of whole literals: in a template, quotes of HTML attributes surround code.
        Pattern literal = Pattern.compile("(?<=\")([\\w.]+)(?=\")");
        Pattern prefix = Pattern.compile("\"([\\w.]+\\.)\"\\s*\\+");
        Pattern suffix = Pattern.compile("\\+\\s*\"(\\.[\\w.]+)\"");
        List<Path> sources;
        try (Stream<Path> java = Files.walk(Path.of("src/main/java"));
             Stream<Path> jte = Files.walk(Path.of("src/main/jte"))) {
            sources = Stream.concat(java, jte)
                    .filter(p -> p.toString().endsWith(".java") || p.toString().endsWith(".jte")).toList();
        }
        assertThat(sources).hasSizeGreaterThan(10);
        for (Path p : sources) {
            String code = Files.readString(p);
            collect(literal, code, literals);
            collect(prefix, code, prefixes);
            collect(suffix, code, suffixes);
        }
        List<String> unused = english().messages().keySet().stream()
                .filter(key -> !literals.contains(key) && !built(key, prefixes, suffixes))
                .toList();
        assertThat(unused).as("keys in messages.properties no code uses").isEmpty();
    }

    private static boolean built(String key, Set<String> prefixes, Set<String> suffixes) {
        for (String p : prefixes) {
            if (key.startsWith(p)) {
                String rest = key.substring(p.length());
                if (!rest.isEmpty() && !rest.contains(".")) {
                    return true;
                }
                for (String s : suffixes) {
                    if (rest.endsWith(s) && !rest.substring(0, rest.length() - s.length()).contains(".")) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    private static void collect(Pattern pattern, String code, Set<String> into) {
        Matcher m = pattern.matcher(code);
        while (m.find()) {
            into.add(m.group(1));
        }
    }

    /** Argument numbers at any depth, e.g. {1} inside a plural's branch. */
    private static Set<Integer> arguments(String message) {
        return argumentKinds(message).keySet();
    }

    /** Argument numbers, and whether the English takes a number there (plural, number, choice). */
    private static Map<Integer, Boolean> argumentKinds(String message) {
        MessagePattern pattern = new MessagePattern(message);
        Map<Integer, Boolean> kinds = new TreeMap<>();
        for (int i = 0; i < pattern.countParts(); i++) {
            MessagePattern.Part part = pattern.getPart(i);
            if (part.getType() == MessagePattern.Part.Type.ARG_START) {
                MessagePattern.Part name = pattern.getPart(i + 1);
                if (name.getType() != MessagePattern.Part.Type.ARG_NUMBER) {
                    throw new IllegalArgumentException("arguments are numbers, {0} {1} ..., not "
                            + pattern.getSubstring(name));
                }
                MessagePattern.ArgType type = part.getArgType();
                boolean number = type.hasPluralStyle() || type == MessagePattern.ArgType.CHOICE
                        || (type == MessagePattern.ArgType.SIMPLE
                        && pattern.getSubstring(pattern.getPart(i + 2)).equals("number"));
                kinds.merge(name.getValue(), number, Boolean::logicalOr);
            }
        }
        return kinds;
    }

    /** Plural and select arguments: keywords the language has, and always "other". */
    private static void checkSelectors(MessagePattern pattern, Set<String> keywords, String where,
                                       List<String> problems) {
        for (int i = 0; i < pattern.countParts(); i++) {
            MessagePattern.Part start = pattern.getPart(i);
            if (start.getType() != MessagePattern.Part.Type.ARG_START
                    || (!start.getArgType().hasPluralStyle() && start.getArgType() != MessagePattern.ArgType.SELECT)) {
                continue;
            }
            boolean plural = start.getArgType().hasPluralStyle();
            Set<String> selectors = new TreeSet<>();
            int limit = pattern.getLimitPartIndex(i);
            for (int j = i + 2; j < limit; j++) {
                MessagePattern.Part part = pattern.getPart(j);
                if (part.getType() == MessagePattern.Part.Type.ARG_SELECTOR) {
                    selectors.add(pattern.getSubstring(part));
                    j = pattern.getLimitPartIndex(j + (pattern.getPart(j + 1).getType()
                            == MessagePattern.Part.Type.ARG_INT || pattern.getPart(j + 1).getType()
                            == MessagePattern.Part.Type.ARG_DOUBLE ? 2 : 1));
                }
            }
            if (!selectors.contains("other")) {
                problems.add(where + "has no 'other' form " + selectors);
            }
            if (plural) {
                Set<String> unknown = selectors.stream().filter(s -> !s.startsWith("=") && !keywords.contains(s))
                        .collect(Collectors.toCollection(TreeSet::new));
                if (!unknown.isEmpty()) {
                    problems.add(where + "plural forms " + unknown + " do not exist in this language, which has "
                            + new TreeSet<>(keywords) + " (and =0, =1 ... for exact numbers)");
                }
            }
        }
    }

    /** The HTML tags in a message, sorted: a translation may move them, not drop or add one. */
    private static List<String> tags(String message) {
        List<String> tags = new ArrayList<>();
        Matcher m = TAG.matcher(message);
        while (m.find()) {
            tags.add(m.group());
        }
        return tags.stream().sorted().toList();
    }

    private static Locale localeOf(Bundle b) {
        return Locale.forLanguageTag(b.tag().isEmpty() ? "und" : b.tag().replace('_', '-'));
    }

    private static Path bundleDirectory() throws URISyntaxException {
        return Path.of(MessageBundlesTest.class.getResource("/web/messages.properties").toURI()).getParent();
    }

    private static Bundle english() throws IOException, URISyntaxException {
        return read(bundleDirectory().resolve("messages.properties"), "");
    }

    private static Map<String, Bundle> translations() throws IOException, URISyntaxException {
        Map<String, Bundle> bundles = new TreeMap<>();
        try (Stream<Path> files = Files.list(bundleDirectory())) {
            for (Path file : files.sorted().toList()) {
                Matcher m = BUNDLE_NAME.matcher(file.getFileName().toString());
                if (m.matches()) {
                    bundles.put(m.group(1), read(file, m.group(1)));
                }
            }
        }
        // A country's or script's variant (pt_PT, zh_Hant) holds only what differs; ResourceBundle
        // takes the rest from the language's file, so it is checked with that file under it.
        for (Map.Entry<String, Bundle> e : bundles.entrySet()) {
            int cut = e.getKey().indexOf('_');
            Bundle parent = cut < 0 ? null : bundles.get(e.getKey().substring(0, cut));
            if (parent != null) {
                Map<String, String> merged = new LinkedHashMap<>(parent.messages());
                merged.putAll(e.getValue().messages());
                e.setValue(new Bundle(e.getValue().fileName(), e.getKey(), merged));
            }
        }
        return bundles;
    }

    /** Strict UTF-8 (Java would quietly read a broken file as ISO-8859-1), and no key twice. */
    private static Bundle read(Path file, String tag) throws IOException {
        String name = file.getFileName().toString();
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(Files.readAllBytes(file)))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new AssertionError(name + ": is not UTF-8; save it as UTF-8", e);
        }
        Map<String, String> messages = new LinkedHashMap<>();
        Properties properties = new Properties() {
            @Override
            public synchronized Object put(Object key, Object value) {
                if (messages.put((String) key, (String) value) != null) {
                    throw new AssertionError(name + ": " + key + ": appears twice");
                }
                return super.put(key, value);
            }
        };
        properties.load(new StringReader(text));
        return new Bundle(name, tag, messages);
    }
}
