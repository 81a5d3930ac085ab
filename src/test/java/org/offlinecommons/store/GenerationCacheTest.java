package org.offlinecommons.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class GenerationCacheTest {

    @Test
    void anAnswerServesItsGenerationOnlyAndTheLeastRecentlyUsedGoesFirst() {
        GenerationCache<String, String> cache = new GenerationCache<>(2);
        cache.put("a", 1, "A1");
        assertThat(cache.get("a", 1)).isEqualTo("A1");
        assertThat(cache.get("a", 2)).as("the library changed").isNull();
        assertThat(cache.get("a", 1)).as("a stale answer is dropped, not kept for later").isNull();

        cache.put("a", 3, "A");
        cache.put("b", 3, "B");
        cache.get("a", 3);
        cache.put("c", 3, "C");
        assertThat(cache.size()).isEqualTo(2);
        assertThat(cache.get("b", 3)).as("the least recently used").isNull();
        assertThat(cache.get("a", 3)).isEqualTo("A");
    }

    @Test
    void anAnswerIsComputedOnceWhileValidAndNothingIsKeptForNull() {
        GenerationCache<String, String> cache = new GenerationCache<>(8);
        AtomicInteger computed = new AtomicInteger();
        for (int i = 0; i < 3; i++) {
            assertThat(cache.get("q", GenerationCache.TIMELESS, () -> "answer " + computed.incrementAndGet()))
                    .isEqualTo("answer 1");
        }
        assertThat(cache.get("none", 5, () -> null)).isNull();
        assertThat(cache.size()).isEqualTo(1);
    }
}
