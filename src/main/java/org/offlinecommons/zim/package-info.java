/**
 * A reader of Kiwix/openZIM ZIM files (format major versions 5 and 6), written for hostile input and
 * bounded memory: nothing here holds every entry or every cluster in memory, every size and count a file
 * claims is capped by {@link org.offlinecommons.zim.ZimLimits}, and every problem is a
 * {@link org.offlinecommons.zim.ZimFormatException} that names the file.
 *
 * <p>Start at {@link org.offlinecommons.zim.ZimArchive} to read, {@link org.offlinecommons.zim.ZimWriter} to write
 * (from a {@link org.offlinecommons.zim.ZimWriterInput} the caller implements, any slice, never built on
 * disk). The format, and how ZIM entries become pack files,
 * is written down in {@code docs/zim.md}. This package depends on nothing else of ours.
 */
package org.offlinecommons.zim;
