package org.offlinecommons.web.opds;

import java.io.StringWriter;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.List;
import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;
import org.offlinecommons.app.PackShelf;
import org.offlinecommons.store.PackRecord;
import org.offlinecommons.web.download.DownloadRoutes;
import org.offlinecommons.web.reading.PageUrls;

/**
 * Writes OPDS 1.2 feeds (Atom documents, RFC 4287, with the OPDS link relations). Links are relative to
 * the server (readers resolve them against the feed's address), so the same feed serves every address
 * the server is reached by.
 */
final class OpdsFeed {

    static final String ATOM = "http://www.w3.org/2005/Atom";
    static final String DC = "http://purl.org/dc/terms/";
    static final String NAVIGATION = "application/atom+xml;profile=opds-catalog;kind=navigation";
    static final String ACQUISITION = "application/atom+xml;profile=opds-catalog;kind=acquisition";
    static final String OPEN_ACCESS = "http://opds-spec.org/acquisition/open-access";
    static final String THUMBNAIL = "http://opds-spec.org/image/thumbnail";
    static final String IMAGE = "http://opds-spec.org/image";
    static final String SORT_NEW = "http://opds-spec.org/sort/new";
    static final String ROOT = "/opds";
    static final String OPENSEARCH = "application/opensearchdescription+xml";
    static final String SEARCH_DESCRIPTION = "/opds/search.xml";

    /** A navigation entry: a link to another feed. */
    record Nav(String id, String title, String summary, String href, String rel, String type) {
    }

    private final XMLStreamWriter xml;
    private final StringWriter out = new StringWriter();

    private OpdsFeed() {
        try {
            xml = XMLOutputFactory.newFactory().createXMLStreamWriter(out);
        } catch (XMLStreamException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A navigation feed: entries that lead to other feeds. */
    static String navigation(String id, String title, String self, Instant updated, List<Nav> entries) {
        OpdsFeed f = new OpdsFeed();
        return f.write(() -> {
            f.start(id, title, self, NAVIGATION, updated);
            for (Nav n : entries) {
                f.xml.writeStartElement("entry");
                f.text("id", n.id());
                f.text("title", n.title());
                f.text("updated", stamp(updated));
                f.text("content", n.summary());
                f.link(n.rel(), n.href(), n.type(), null);
                f.xml.writeEndElement();
            }
        });
    }

    /**
     * An acquisition feed: the page's packs with their downloads.
     *
     * @param self the feed's path (and query) without the page parameter
     */
    static String acquisition(String id, String title, String self, PackShelf.Page page) {
        OpdsFeed f = new OpdsFeed();
        Instant updated = page.packs().stream().map(s -> Instant.ofEpochMilli(s.pack().installedAt()))
                .max(Instant::compareTo).orElse(Instant.EPOCH);
        return f.write(() -> {
            String sep = self.contains("?") ? "&" : "?";
            f.start(id, title, page.page() == 1 ? self : self + sep + "page=" + page.page(), ACQUISITION, updated);
            if (page.page() > 1) {
                f.link("first", self, ACQUISITION, null);
                f.link("previous", page.page() == 2 ? self : self + sep + "page=" + (page.page() - 1), ACQUISITION,
                        null);
            }
            if (page.hasNext()) {
                f.link("next", self + sep + "page=" + (page.page() + 1), ACQUISITION, null);
            }
            for (PackShelf.Shelved s : page.packs()) {
                f.entry(s);
            }
        });
    }

    private void start(String id, String title, String self, String type, Instant updated) throws XMLStreamException {
        xml.writeStartDocument("UTF-8", "1.0");
        xml.writeStartElement("feed");
        xml.writeDefaultNamespace(ATOM);
        xml.writeNamespace("dc", DC);
        text("id", id);
        text("title", title);
        text("updated", stamp(updated));
        xml.writeStartElement("author");
        text("name", "Offline Commons");
        xml.writeEndElement();
        link("self", self, type, null);
        link("start", ROOT, NAVIGATION, null);
        link("up", ROOT, NAVIGATION, null);
        link("search", SEARCH_DESCRIPTION, OPENSEARCH, null);
    }

    /** The OpenSearch description readers fill in to search the catalog. */
    static String searchDescription() {
        OpdsFeed f = new OpdsFeed();
        try {
            f.xml.writeStartDocument("UTF-8", "1.0");
            f.xml.writeStartElement("OpenSearchDescription");
            f.xml.writeDefaultNamespace("http://a9.com/-/spec/opensearch/1.1/");
            f.text("ShortName", "Offline Commons");
            f.text("Description", "Search the packs of this library by title, description or author.");
            f.text("InputEncoding", "UTF-8");
            f.text("OutputEncoding", "UTF-8");
            f.xml.writeEmptyElement("Url");
            f.xml.writeAttribute("type", ACQUISITION);
            f.xml.writeAttribute("template", "/opds/search?q={searchTerms}");
            f.xml.writeEndElement();
            f.xml.writeEndDocument();
            f.xml.close();
        } catch (XMLStreamException e) {
            throw new IllegalStateException("cannot write the OpenSearch description", e);
        }
        return f.out.toString();
    }

    private void entry(PackShelf.Shelved s) throws XMLStreamException {
        PackRecord p = s.pack();
        xml.writeStartElement("entry");
        text("id", "urn:uuid:" + uuid(p.digest()));
        text("title", p.title());
        text("updated", stamp(Instant.ofEpochMilli(p.installedAt())));
        List<String> authors = p.authors().isEmpty() ? List.of("Unknown") : p.authors();
        for (String a : authors) {
            xml.writeStartElement("author");
            text("name", a);
            xml.writeEndElement();
        }
        if (!p.description().isBlank()) {
            text("summary", p.description());
        }
        xml.writeStartElement("dc", "language", DC);
        xml.writeCharacters(p.language());
        xml.writeEndElement();
        if (p.created() != null && p.created().matches("\\d{4}-\\d{2}-\\d{2}.*")) {
            xml.writeStartElement("dc", "issued", DC);
            xml.writeCharacters(p.created().substring(0, 10));
            xml.writeEndElement();
        }
        if (!p.license().isBlank()) {
            text("rights", p.license());
        }
        String icon = OpdsRoutes.iconUrl(p.id());
        link(THUMBNAIL, icon, "image/png", null);
        link(IMAGE, icon, "image/png", null);
        link("alternate", PageUrls.pack(p.id()), "text/html", null);
        for (PackShelf.Offer o : s.offers()) {
            link(OPEN_ACCESS, DownloadRoutes.url(p.id(), o.kind()), o.kind().mediaType(),
                    o.length().isPresent() ? Long.toString(o.length().getAsLong()) : null);
        }
        xml.writeEndElement();
    }

    private void link(String rel, String href, String type, String length) throws XMLStreamException {
        xml.writeEmptyElement("link");
        xml.writeAttribute("rel", rel);
        xml.writeAttribute("href", href);
        xml.writeAttribute("type", type);
        if (length != null) {
            xml.writeAttribute("length", length);
        }
    }

    private void text(String name, String value) throws XMLStreamException {
        xml.writeStartElement(name);
        xml.writeCharacters(clean(value));
        xml.writeEndElement();
    }

    /** Characters XML 1.0 cannot carry (C0 controls but tab and line ends) are dropped. */
    private static String clean(String s) {
        return s == null ? "" : s.replaceAll("[\\x00-\\x08\\x0B\\x0C\\x0E-\\x1F\\uFFFE\\uFFFF]", "");
    }

    static String stamp(Instant t) {
        return t.truncatedTo(ChronoUnit.SECONDS).toString();
    }

    /** The pack version's identity as a UUID, the same as its ZIM's. */
    static String uuid(String digest) {
        byte[] b = HexFormat.of().parseHex(digest.substring(0, 32));
        b[6] = (byte) ((b[6] & 0x0f) | 0x40);
        b[8] = (byte) ((b[8] & 0x3f) | 0x80);
        String h = HexFormat.of().formatHex(b);
        return h.substring(0, 8) + "-" + h.substring(8, 12) + "-" + h.substring(12, 16) + "-" + h.substring(16, 20)
                + "-" + h.substring(20);
    }

    @FunctionalInterface
    private interface Body {
        void write() throws XMLStreamException;
    }

    private String write(Body body) {
        try {
            body.write();
            xml.writeEndElement();
            xml.writeEndDocument();
            xml.close();
        } catch (XMLStreamException e) {
            throw new IllegalStateException("cannot write an OPDS feed", e);
        }
        return out.toString();
    }
}
