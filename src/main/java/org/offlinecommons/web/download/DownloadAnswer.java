package org.offlinecommons.web.download;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;
import org.offlinecommons.app.PackDownloads;
import org.offlinecommons.web.content.ByteRange;
import org.offlinecommons.web.http.EntityTags;

/**
 * What to answer a request for a download (RFC 9110): 200 with the whole file, 206 with the one
 * range asked for when {@code If-Range} (if any) names the current version, 304 when
 * {@code If-None-Match} names it, 416 when the range starts past the end.
 *
 * @param from the first byte to send
 * @param to   the byte after the last to send
 */
record DownloadAnswer(int status, Map<String, String> headers, long from, long to) {

    boolean hasBody() {
        return status == 200 || status == 206;
    }

    static DownloadAnswer of(PackDownloads.Download d, UnaryOperator<String> requestHeader) {
        Map<String, String> h = new LinkedHashMap<>();
        h.put("ETag", d.etag());
        h.put("Accept-Ranges", "bytes");
        h.put("Cache-Control", "no-cache");
        h.put("Content-Type", d.kind().mediaType());
        h.put("Content-Disposition", "attachment; filename=\"" + d.fileName() + "\"");
        if (EntityTags.noneMatchFails(requestHeader.apply("If-None-Match"), d.etag())) {
            return new DownloadAnswer(304, h, 0, 0);
        }
        String ifRange = requestHeader.apply("If-Range");
        // If-Range with a date, or another version's tag: the file may have changed, so send it whole.
        boolean rangeAllowed = ifRange == null || ifRange.strip().equals(d.etag());
        Optional<ByteRange> range;
        try {
            range = rangeAllowed ? ByteRange.parse(requestHeader.apply("Range"), d.length()) : Optional.empty();
        } catch (ByteRange.Unsatisfiable e) {
            h.put("Content-Range", "bytes */" + d.length());
            h.put("Content-Length", "0");
            return new DownloadAnswer(416, h, 0, 0);
        }
        if (range.isEmpty()) {
            h.put("Content-Length", Long.toString(d.length()));
            return new DownloadAnswer(200, h, 0, d.length());
        }
        ByteRange r = range.get();
        h.put("Content-Range", "bytes " + r.start() + "-" + r.end() + "/" + d.length());
        h.put("Content-Length", Long.toString(r.length()));
        return new DownloadAnswer(206, h, r.start(), r.start() + r.length());
    }
}
