package org.offlinecommons.web;

/**
 * One item shown inside our layout: a rendered document (Markdown, notes, text) or a media
 * player, with the way back to its pack and on to its neighbours.
 *
 * @param lang      the pack's language tag, for the document's own text; null when unknown
 * @param bodyHtml  safe HTML of the document, or null for media and files shown by link only
 * @param media     how to embed the file, or null
 * @param notice    a sentence about why the document is not shown inline, or null
 */
public record ReaderView(Layout layout, String packTitle, String packUrl, String lang, String title, String kindLabel,
                         String date, String dateIso, String bodyHtml, boolean preformatted, Media media,
                         String notice, String fileUrl, String downloadLabel, String openLabel,
                         Neighbour previous, Neighbour next) {

    /** The direction of the pack's own text, from its language ("rtl" for Arabic in any interface). */
    public String dir() {
        return TextDirection.of(lang);
    }

    /** An embedded file; {@code element} is one of video, audio, image, pdf. */
    public record Media(String element, String src, String alt) {
    }

    /** The previous or next item of the pack. */
    public record Neighbour(String title, String url) {
    }
}
