package org.offlinecommons.store;

import com.ibm.icu.text.BreakIterator;
import com.ibm.icu.text.RuleBasedBreakIterator;
import com.ibm.icu.util.ULocale;
import java.text.Normalizer;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.tartarus.snowball.SnowballStemmer;

/**
 * What the search index sees of a text, and of a query: the same analysis on both sides, in
 * Java, before FTS5's tokenizer (which then only splits on the spaces this puts in).
 *
 * <ul>
 *   <li>Words are runs of letters, digits and marks, lower-cased; Latin, Greek, Cyrillic,
 *       Arabic and Hebrew words lose their diacritics ("Élan" is "elan"); Indic words keep their
 *       vowel signs, which are letters of the word there.</li>
 *   <li>Each word is also indexed by its stem in the pack's language (Snowball; Lucene's for
 *       Bengali), when different, marked with {@link #STEM_MARK}: "reading" is indexed as
 *       {@code reading ǀread}. Stems apart from words keep prefix matches and the vocabulary
 *       that "did you mean" proposes from made of words people wrote. Swahili has no stemmer
 *       (none exists in Snowball or Lucene); Chinese, Japanese and Thai need none.</li>
 *   <li>Runs of Chinese, Japanese, Thai, Lao, Khmer and Myanmar text, written without spaces,
 *       are cut into words with ICU's dictionaries; other text takes a fast path without ICU.</li>
 * </ul>
 */
public final class SearchAnalyzer {

    /**
     * Starts the index term of a stem. A letter (so FTS5 keeps it in the term) that no language
     * writes words with (U+01C0, a click letter written alone): "ǀread" never meets a word.
     */
    public static final char STEM_MARK = '\u01C0';

    /** Stems per thread, by word: text is Zipfian, so most words are stemmed once. */
    private static final int STEM_CACHE = 16 * 1024;

    private static final Map<String, Supplier<SnowballStemmer>> SNOWBALL = Map.ofEntries(
            Map.entry("en", org.tartarus.snowball.ext.EnglishStemmer::new),
            Map.entry("fr", org.tartarus.snowball.ext.FrenchStemmer::new),
            Map.entry("es", org.tartarus.snowball.ext.SpanishStemmer::new),
            Map.entry("pt", org.tartarus.snowball.ext.PortugueseStemmer::new),
            Map.entry("ru", org.tartarus.snowball.ext.RussianStemmer::new),
            Map.entry("id", org.tartarus.snowball.ext.IndonesianStemmer::new),
            Map.entry("ms", org.tartarus.snowball.ext.IndonesianStemmer::new),
            Map.entry("ar", org.tartarus.snowball.ext.ArabicStemmer::new),
            Map.entry("hi", org.tartarus.snowball.ext.HindiStemmer::new),
            Map.entry("ne", org.tartarus.snowball.ext.NepaliStemmer::new),
            Map.entry("de", org.tartarus.snowball.ext.GermanStemmer::new),
            Map.entry("it", org.tartarus.snowball.ext.ItalianStemmer::new),
            Map.entry("nl", org.tartarus.snowball.ext.DutchStemmer::new),
            Map.entry("sv", org.tartarus.snowball.ext.SwedishStemmer::new),
            Map.entry("da", org.tartarus.snowball.ext.DanishStemmer::new),
            Map.entry("no", org.tartarus.snowball.ext.NorwegianStemmer::new),
            Map.entry("nb", org.tartarus.snowball.ext.NorwegianStemmer::new),
            Map.entry("nn", org.tartarus.snowball.ext.NorwegianStemmer::new),
            Map.entry("fi", org.tartarus.snowball.ext.FinnishStemmer::new),
            Map.entry("hu", org.tartarus.snowball.ext.HungarianStemmer::new),
            Map.entry("ro", org.tartarus.snowball.ext.RomanianStemmer::new),
            Map.entry("tr", org.tartarus.snowball.ext.TurkishStemmer::new),
            Map.entry("el", org.tartarus.snowball.ext.GreekStemmer::new),
            Map.entry("ca", org.tartarus.snowball.ext.CatalanStemmer::new),
            Map.entry("eu", org.tartarus.snowball.ext.BasqueStemmer::new),
            Map.entry("ga", org.tartarus.snowball.ext.IrishStemmer::new),
            Map.entry("lt", org.tartarus.snowball.ext.LithuanianStemmer::new),
            Map.entry("et", org.tartarus.snowball.ext.EstonianStemmer::new),
            Map.entry("hy", org.tartarus.snowball.ext.ArmenianStemmer::new),
            Map.entry("sr", org.tartarus.snowball.ext.SerbianStemmer::new),
            Map.entry("ta", org.tartarus.snowball.ext.TamilStemmer::new),
            Map.entry("yi", org.tartarus.snowball.ext.YiddishStemmer::new));

    /** Stemmers are not thread-safe: one per language per thread, with its cache. */
    private static final ThreadLocal<Map<String, Stemmer>> STEMMERS = ThreadLocal.withInitial(HashMap::new);
    private static final ThreadLocal<Map<String, WordTerms>> WORD_TERMS = ThreadLocal.withInitial(HashMap::new);
    private static final ThreadLocal<BreakIterator> WORD_BREAKS =
            ThreadLocal.withInitial(() -> BreakIterator.getWordInstance(ULocale.ROOT));

    private SearchAnalyzer() {
    }

    /** The languages with a stemmer, by primary subtag. */
    public static boolean stems(String language) {
        String l = primary(language);
        return SNOWBALL.containsKey(l) || l.equals("bn");
    }

    /**
     * The text as the index stores it: terms separated by spaces. {@code keepRuns} also keeps each
     * run of Chinese or Japanese text whole (for titles: a title is found by what it begins with,
     * and title suggestions complete it).
     */
    public static String indexText(String text, String language, boolean keepRuns) {
        if (text == null || text.isEmpty()) {
            return "";
        }
        WordTerms terms = WORD_TERMS.get().computeIfAbsent(primary(language), l -> new WordTerms(stemmer(l)));
        StringBuilder out = new StringBuilder(text.length() + text.length() / 4);
        Consumer<String> emit = term -> {
            if (!term.isEmpty()) {
                if (out.length() > 0) {
                    out.append(' ');
                }
                out.append(term);
            }
        };
        int pos = 0;
        int length = text.length();
        while (true) {
            int start = nextWordStart(text, pos);
            if (start >= length) {
                break;
            }
            int end = wordEnd(text, start);
            pos = end;
            String word = text.substring(start, end);
            if (needsSegmentation(word)) {
                if (keepRuns) {
                    emit.accept(fold(word));
                }
                segments(word, segment -> {
                    if (!keepRuns || segment.length() != word.length()) {
                        emit.accept(terms.of(segment));
                    }
                });
            } else {
                emit.accept(terms.of(word));
            }
        }
        return out.toString();
    }

    /**
     * A word's index terms ("reading ǀread"), by word as written, for one language; confined to
     * one thread. Text is Zipfian: most words are folded and stemmed once per batch of text.
     */
    private static final class WordTerms {
        private final Stemmer stemmer;
        private final HashMap<String, String> cache = new HashMap<>();

        WordTerms(Stemmer stemmer) {
            this.stemmer = stemmer;
        }

        /** The word's folded form and its marked stem, separated by a space ("" for none). */
        String of(String word) {
            String known = cache.get(word);
            if (known != null) {
                return known;
            }
            String folded = fold(word);
            String terms = folded;
            if (stemmer != null && !folded.isEmpty()) {
                String stem = stemmer.stem(word);
                if (stem != null && !stem.isEmpty() && !stem.equals(folded)) {
                    terms = folded + ' ' + STEM_MARK + stem;
                }
            }
            if (cache.size() >= STEM_CACHE) {
                cache.clear();
            }
            cache.put(word, terms);
            return terms;
        }
    }

    /** The folded stem of a word in a language, or null when the language has no stemmer. */
    public static String stem(String word, String language) {
        Stemmer s = stemmer(language);
        return s == null ? null : s.stem(word);
    }

    /**
     * Lower case; Latin, Greek, Cyrillic, Arabic and Hebrew letters without diacritics; the
     * stem mark removed. What a query word is compared with.
     */
    public static String fold(String word) {
        boolean ascii = true;
        for (int i = 0; i < word.length() && ascii; i++) {
            ascii = word.charAt(i) < 0x80;
        }
        if (ascii) {
            return word.toLowerCase(Locale.ROOT);
        }
        String lower = word.toLowerCase(Locale.ROOT);
        String nfd = Normalizer.normalize(lower, Normalizer.Form.NFD);
        StringBuilder out = new StringBuilder(nfd.length());
        int base = 0;
        for (int i = 0; i < nfd.length(); ) {
            int cp = nfd.codePointAt(i);
            i += Character.charCount(cp);
            if (cp == STEM_MARK) {
                continue;
            }
            int type = Character.getType(cp);
            boolean mark = type == Character.NON_SPACING_MARK || type == Character.ENCLOSING_MARK
                    || type == Character.COMBINING_SPACING_MARK;
            if (mark) {
                if (foldsMarks(base)) {
                    continue;
                }
            } else {
                base = cp;
            }
            out.appendCodePoint(cp);
        }
        return Normalizer.normalize(out, Normalizer.Form.NFC);
    }

    /** Scripts whose marks are diacritics (removed) rather than parts of letters (kept). */
    private static boolean foldsMarks(int base) {
        return base < 0x0590 // Latin, IPA, Greek, Cyrillic, Armenian
                || (base >= 0x0590 && base < 0x0700) // Hebrew, Arabic
                || (base >= 0x0750 && base < 0x0780) // Arabic supplement
                || (base >= 0x1E00 && base < 0x2000); // Latin extended additional, Greek extended
    }

    /** Whether a word holds text written without spaces between words. */
    static boolean needsSegmentation(String word) {
        int first = 0;
        while (first < word.length() && word.charAt(first) < 0x0E00) {
            first++;
        }
        for (int i = first; i < word.length(); ) {
            int cp = word.codePointAt(i);
            i += Character.charCount(cp);
            if (cp < 0x0E00) {
                continue;
            }
            Character.UnicodeScript script = Character.UnicodeScript.of(cp);
            if (script == Character.UnicodeScript.HAN || script == Character.UnicodeScript.HIRAGANA
                    || script == Character.UnicodeScript.KATAKANA || script == Character.UnicodeScript.THAI
                    || script == Character.UnicodeScript.LAO || script == Character.UnicodeScript.KHMER
                    || script == Character.UnicodeScript.MYANMAR) {
                return true;
            }
        }
        return false;
    }

    /** The words ICU's dictionaries find in a run of text without spaces. */
    static void segments(String run, Consumer<String> out) {
        BreakIterator breaks = WORD_BREAKS.get();
        breaks.setText(run);
        int start = breaks.first();
        for (int end = breaks.next(); end != BreakIterator.DONE; start = end, end = breaks.next()) {
            if (breaks.getRuleStatus() >= RuleBasedBreakIterator.WORD_NONE_LIMIT) {
                out.accept(run.substring(start, end));
            }
        }
        breaks.setText(""); // do not keep a long text reachable from the thread
    }

    /** "pt-BR" is "pt". */
    static String primary(String language) {
        if (language == null) {
            return "";
        }
        int dash = language.indexOf('-');
        int underscore = language.indexOf('_');
        int cut = dash < 0 ? underscore : (underscore < 0 ? dash : Math.min(dash, underscore));
        return (cut < 0 ? language : language.substring(0, cut)).toLowerCase(Locale.ROOT);
    }

    private static Stemmer stemmer(String language) {
        String l = primary(language);
        if (!stems(l)) {
            return null;
        }
        return STEMMERS.get().computeIfAbsent(l, Stemmer::new);
    }

    /** One language's stemmer with a cache of the words it stemmed; confined to one thread. */
    private static final class Stemmer {
        private final SnowballStemmer snowball;
        private final org.apache.lucene.analysis.bn.BengaliStemmer bengali;
        private final HashMap<String, String> cache = new HashMap<>();

        Stemmer(String language) {
            Supplier<SnowballStemmer> s = SNOWBALL.get(language);
            this.snowball = s == null ? null : s.get();
            this.bengali = s == null ? new org.apache.lucene.analysis.bn.BengaliStemmer() : null;
        }

        /** The folded stem of a word as written (any case). */
        String stem(String word) {
            String cached = cache.get(word);
            if (cached != null) {
                return cached;
            }
            String stem = fold(compute(word.toLowerCase(Locale.ROOT)));
            if (cache.size() >= STEM_CACHE) {
                cache.clear();
            }
            cache.put(word, stem);
            return stem;
        }

        private String compute(String lower) {
            if (lower.length() < 3) {
                return lower;
            }
            for (int i = 0; i < lower.length(); i++) {
                if (Character.isDigit(lower.charAt(i))) {
                    return lower;
                }
            }
            if (snowball != null) {
                snowball.setCurrent(lower);
                snowball.stem();
                return snowball.getCurrent();
            }
            char[] chars = lower.toCharArray();
            int n = bengali.stem(chars, chars.length);
            return new String(chars, 0, n);
        }
    }

    // Words as unicode61 with categories 'L* N* Co M*' sees them: letters, digits and marks.

    /** Where the next word starts at or after {@code from}, or the text's length. */
    static int nextWordStart(String text, int from) {
        int i = from;
        while (i < text.length()) {
            char ch = text.charAt(i);
            if (ch < 0x80) {
                if (isAsciiWordChar(ch)) {
                    return i;
                }
                i++;
            } else {
                int cp = text.codePointAt(i);
                if (isWordCodePoint(cp)) {
                    return i;
                }
                i += Character.charCount(cp);
            }
        }
        return i;
    }

    static int wordEnd(String text, int from) {
        int i = from;
        while (i < text.length()) {
            char ch = text.charAt(i);
            if (ch < 0x80) {
                if (!isAsciiWordChar(ch)) {
                    return i;
                }
                i++;
            } else {
                int cp = text.codePointAt(i);
                if (!isWordCodePoint(cp)) {
                    return i;
                }
                i += Character.charCount(cp);
            }
        }
        return i;
    }

    static boolean isAsciiWordChar(char ch) {
        return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9');
    }

    /** {@code [\p{L}\p{N}\p{M}]}. */
    static boolean isWordCodePoint(int cp) {
        if (Character.isLetter(cp)) {
            return true;
        }
        int type = Character.getType(cp);
        return type == Character.DECIMAL_DIGIT_NUMBER || type == Character.LETTER_NUMBER
                || type == Character.OTHER_NUMBER || type == Character.NON_SPACING_MARK
                || type == Character.ENCLOSING_MARK || type == Character.COMBINING_SPACING_MARK
                || type == Character.PRIVATE_USE;
    }
}
