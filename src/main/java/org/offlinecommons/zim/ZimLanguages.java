package org.offlinecommons.zim;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.MissingResourceException;

/**
 * ZIM's {@code M/Language} (ISO 639-3 codes, possibly a comma-separated list) as BCP 47 language tags: the
 * two-letter ISO 639-1 code where there is one ({@code eng} to {@code en}), else the three-letter code,
 * which BCP 47 accepts as it is ({@code cmn}, {@code ast}). The JDK's ISO 639 tables give the pairs.
 */
public final class ZimLanguages {
  private static final Map<String, String> TWO_LETTER_BY_THREE = twoLetterByThree();

  private ZimLanguages() {
  }

  private static Map<String, String> twoLetterByThree() {
    Map<String, String> map = new HashMap<>();
    for (String two : Locale.getISOLanguages()) {
      try {
        String three = new Locale(two).getISO3Language();
        if (!three.isEmpty()) {
          map.putIfAbsent(three, two);
        }
      } catch (MissingResourceException e) {
        // A language without a three-letter code cannot appear in a ZIM's metadata.
      }
    }
    return map;
  }

  /** The BCP 47 tags of a ZIM language value; codes that are not 2-8 ASCII letters are left out. */
  public static List<String> toBcp47(String zimLanguage) {
    List<String> tags = new ArrayList<>();
    for (String part : zimLanguage.split(",")) {
      String code = part.strip().toLowerCase(Locale.ROOT);
      if (!code.matches("[a-z]{2,8}")) {
        continue;
      }
      String tag = code.length() == 3 ? TWO_LETTER_BY_THREE.getOrDefault(code, code) : code;
      if (!tags.contains(tag)) {
        tags.add(tag);
      }
    }
    return tags;
  }
}
