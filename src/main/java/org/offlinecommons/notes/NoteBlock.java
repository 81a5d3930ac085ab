package org.offlinecommons.notes;

import java.util.List;

/** The block structure of an entry body; the HTML and the search text are both derived from it. */
sealed interface NoteBlock {

    /** @param level HTML heading level, 2 or deeper (the entry title is the page's h1) */
    record Heading(int level, String text) implements NoteBlock {
    }

    /** Consecutive lines, kept as lines because notebook line breaks separate thoughts. */
    record Paragraph(List<String> lines) implements NoteBlock {
        public Paragraph {
            lines = List.copyOf(lines);
        }
    }

    record BulletList(List<Item> items) implements NoteBlock {
        public BulletList {
            items = List.copyOf(items);
        }
    }

    /** @param children items of the nested list, empty if none */
    record Item(List<String> lines, List<Item> children) {
        public Item {
            lines = List.copyOf(lines);
            children = List.copyOf(children);
        }
    }

    /** Verbatim lines, common indentation removed, tabs expanded. */
    record Code(List<String> lines) implements NoteBlock {
        public Code {
            lines = List.copyOf(lines);
        }
    }

    record Rule() implements NoteBlock {
    }
}
