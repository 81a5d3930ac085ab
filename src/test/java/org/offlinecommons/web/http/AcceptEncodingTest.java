package org.offlinecommons.web.http;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class AcceptEncodingTest {

    @Test
    void gzipIsAcceptedWhenNamedOrByStarUnlessItsQualityIsZero() {
        assertThat(AcceptEncoding.gzip("gzip, deflate, br")).isTrue();
        assertThat(AcceptEncoding.gzip("br;q=1.0, GZIP;q=0.5")).isTrue();
        assertThat(AcceptEncoding.gzip("*")).isTrue();
        assertThat(AcceptEncoding.gzip("x-gzip")).isTrue();
        assertThat(AcceptEncoding.gzip("gzip;q=0")).isFalse();
        assertThat(AcceptEncoding.gzip("gzip; q=0.000")).isFalse();
        assertThat(AcceptEncoding.gzip("gzip;q=oops")).isFalse();
        assertThat(AcceptEncoding.gzip("br, identity")).isFalse();
        // A coding named outright counts over *, wherever it stands.
        assertThat(AcceptEncoding.gzip("*;q=0, gzip")).isTrue();
        assertThat(AcceptEncoding.gzip("*, gzip;q=0")).isFalse();
        assertThat(AcceptEncoding.gzip("")).isFalse();
        assertThat(AcceptEncoding.gzip(null)).isFalse();
    }
}
