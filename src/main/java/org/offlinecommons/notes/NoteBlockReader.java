package org.offlinecommons.notes;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.regex.Matcher;

/**
 * Reads an entry body into {@link NoteBlock}s. One instance per body: heading levels depend on the
 * order in which underline characters first appear in that body, as in reStructuredText, so an
 * author who uses {@code -} for top sections and {@code ~} below gets the same outline as one who
 * does the opposite.
 */
final class NoteBlockReader {

    private final List<String> lines;
    private final StringBuilder underlineOrder = new StringBuilder();
    private final List<NoteBlock> blocks = new ArrayList<>();
    private int pos;

    private NoteBlockReader(String body) {
        this.lines = NoteLines.split(body).stream()
                .map(line -> NoteLines.expandTabs(line).stripTrailing())
                .toList();
    }

    static List<NoteBlock> read(String body) {
        NoteBlockReader reader = new NoteBlockReader(body);
        reader.readAll();
        return List.copyOf(reader.blocks);
    }

    private void readAll() {
        while (pos < lines.size()) {
            String line = lines.get(pos);
            if (line.isEmpty()) {
                pos++;
            } else if (headingAt(pos) != 0) {
                readHeading();
            } else if (NoteLines.isRule(line)) {
                blocks.add(new NoteBlock.Rule());
                pos++;
            } else if (NoteLines.isBullet(line)) {
                readList();
            } else if (NoteLines.looksLikeCode(line)) {
                readCode();
            } else {
                readParagraph();
            }
        }
    }

    /** The underline character if the line at {@code i} is heading text, else {@code 0}. */
    private char headingAt(int i) {
        if (i + 1 >= lines.size()) {
            return 0;
        }
        return NoteLines.underline(lines.get(i + 1), lines.get(i));
    }

    private void readHeading() {
        char underline = headingAt(pos);
        int rank = underlineOrder.indexOf(String.valueOf(underline));
        if (rank < 0) {
            rank = underlineOrder.length();
            underlineOrder.append(underline);
        }
        blocks.add(new NoteBlock.Heading(Math.min(2 + rank, 6), lines.get(pos).strip()));
        pos += 2;
    }

    private void readParagraph() {
        List<String> text = new ArrayList<>();
        text.add(lines.get(pos++).strip());
        while (pos < lines.size()) {
            String line = lines.get(pos);
            if (line.isEmpty() || headingAt(pos) != 0 || NoteLines.isRule(line)
                    || NoteLines.isBullet(line) || NoteLines.looksLikeCode(line)) {
                break;
            }
            text.add(line.strip());
            pos++;
        }
        blocks.add(new NoteBlock.Paragraph(text));
    }

    private void readCode() {
        List<String> code = new ArrayList<>();
        while (pos < lines.size()) {
            String line = lines.get(pos);
            if (line.isEmpty()) {
                int next = nextNonBlank(pos);
                // A blank line stays inside the block only if code resumes after it.
                if (next < 0 || !NoteLines.looksLikeCode(lines.get(next)) || headingAt(next) != 0) {
                    break;
                }
                while (pos < next) {
                    code.add("");
                    pos++;
                }
                continue;
            }
            if (!NoteLines.looksLikeCode(line) || headingAt(pos) != 0) {
                break;
            }
            code.add(line);
            pos++;
        }
        int common = code.stream().filter(l -> !l.isEmpty()).mapToInt(NoteLines::indent).min().orElse(0);
        blocks.add(new NoteBlock.Code(code.stream().map(l -> l.isEmpty() ? l : l.substring(common)).toList()));
    }

    private void readList() {
        ListBuilder list = new ListBuilder();
        while (pos < lines.size()) {
            String line = lines.get(pos);
            if (line.isEmpty()) {
                int next = nextNonBlank(pos);
                // Items separated by blank lines still form one list, as in Markdown.
                if (next < 0 || !NoteLines.isBullet(lines.get(next)) || headingAt(next) != 0) {
                    break;
                }
                pos = next;
                continue;
            }
            Matcher bullet = NoteLines.bullet(line);
            if (bullet.matches()) {
                list.add(bullet.group(1).length(), bullet.group(2).strip());
            } else if (NoteLines.indent(line) > list.lastIndent() && !NoteLines.isDiagram(line)
                    && headingAt(pos) == 0) {
                // An indented plain line continues the item above it (a wrapped bullet).
                list.continueLast(line.strip());
            } else {
                break;
            }
            pos++;
        }
        blocks.add(new NoteBlock.BulletList(list.build()));
    }

    private int nextNonBlank(int from) {
        for (int i = from; i < lines.size(); i++) {
            if (!lines.get(i).isEmpty()) {
                return i;
            }
        }
        return -1;
    }

    /** Builds the nested item tree from (indent, text) pairs; the records are immutable, so this is mutable. */
    private static final class ListBuilder {

        private static final class Node {
            final int indent;
            final List<String> lines = new ArrayList<>();
            final List<Node> children = new ArrayList<>();

            Node(int indent, String text) {
                this.indent = indent;
                lines.add(text);
            }

            NoteBlock.Item build() {
                return new NoteBlock.Item(lines, children.stream().map(Node::build).toList());
            }
        }

        private record Level(int indent, List<Node> items) {
        }

        private final List<Node> roots = new ArrayList<>();
        private final Deque<Level> stack = new ArrayDeque<>();
        private Node last;

        void add(int indent, String text) {
            if (stack.isEmpty()) {
                stack.push(new Level(indent, roots));
            }
            while (stack.size() > 1 && indent < stack.peek().indent()) {
                stack.pop();
            }
            Level level = stack.peek();
            if (indent > level.indent() && !level.items().isEmpty()) {
                Node parent = level.items().get(level.items().size() - 1);
                level = new Level(indent, parent.children);
                stack.push(level);
            }
            last = new Node(indent, text);
            level.items().add(last);
        }

        int lastIndent() {
            return last.indent;
        }

        void continueLast(String text) {
            last.lines.add(text);
        }

        List<NoteBlock.Item> build() {
            return roots.stream().map(Node::build).toList();
        }
    }
}
