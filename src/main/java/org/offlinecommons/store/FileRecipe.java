package org.offlinecommons.store;

import java.util.List;

/** How a file is put together from chunks, in order. */
public record FileRecipe(String fileHash, long size, List<ChunkRef> chunks) {
    public FileRecipe {
        chunks = List.copyOf(chunks);
    }
}
