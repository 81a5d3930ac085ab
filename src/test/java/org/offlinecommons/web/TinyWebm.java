package org.offlinecommons.web;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes a minimal WebM file around VP8 frames, so a test can make a real, seekable video
 * without ffmpeg (the frames come from the browser's own encoder). Every frame is a key frame
 * in its own cluster, and the cue index comes before the clusters, where any demuxer finds it
 * while reading the header.
 */
final class TinyWebm {

    private static final int EBML = 0x1A45DFA3;
    private static final int SEGMENT = 0x18538067;
    private static final int INFO = 0x1549A966;
    private static final int TRACKS = 0x1654AE6B;
    private static final int CUES = 0x1C53BB6B;
    private static final int CLUSTER = 0x1F43B675;

    private TinyWebm() {
    }

    /** @param frames VP8 key frames, shown {@code frameMillis} apart */
    static byte[] vp8(List<byte[]> frames, int width, int height, int frameMillis) {
        byte[] header = element(EBML, concat(
                uint(0x4286, 1), uint(0x42F7, 1), uint(0x42F2, 4), uint(0x42F3, 8),
                string(0x4282, "webm"), uint(0x4287, 2), uint(0x4285, 2)));
        byte[] info = element(INFO, concat(
                uint(0x2AD7B1, 1_000_000),
                floatElement(0x4489, (double) frames.size() * frameMillis),
                string(0x4D80, "offline-commons-test"), string(0x5741, "offline-commons-test")));
        byte[] tracks = element(TRACKS, element(0xAE, concat(
                uint(0xD7, 1), uint(0x73C5, 1), uint(0x83, 1), string(0x86, "V_VP8"),
                element(0xE0, concat(uint(0xB0, width), uint(0xBA, height))))));
        List<byte[]> clusters = new ArrayList<>();
        for (int i = 0; i < frames.size(); i++) {
            byte[] frame = frames.get(i);
            byte[] block = new byte[4 + frame.length];
            block[0] = (byte) 0x81; // track 1
            block[3] = (byte) 0x80; // key frame; relative time 0 in bytes 1-2
            System.arraycopy(frame, 0, block, 4, frame.length);
            clusters.add(element(CLUSTER, concat(uint(0xE7, (long) i * frameMillis), element(0xA3, block))));
        }
        // Cue positions are fixed-width, so the index's size does not depend on where clusters land.
        int cuesSize = cues(frames.size(), frameMillis, new long[frames.size()]).length;
        long[] positions = new long[frames.size()];
        long at = info.length + tracks.length + cuesSize;
        for (int i = 0; i < clusters.size(); i++) {
            positions[i] = at;
            at += clusters.get(i).length;
        }
        byte[] body = concat(info, tracks, cues(frames.size(), frameMillis, positions), concat(clusters));
        return concat(header, element(SEGMENT, body));
    }

    private static byte[] cues(int count, int frameMillis, long[] positions) {
        List<byte[]> points = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            points.add(element(0xBB, concat(uint(0xB3, (long) i * frameMillis),
                    element(0xB7, concat(uint(0xF7, 1), uint(0xF1, positions[i]))))));
        }
        return element(CUES, concat(points));
    }

    private static byte[] element(int id, byte[] data) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int idBytes = id > 0xFFFFFF ? 4 : id > 0xFFFF ? 3 : id > 0xFF ? 2 : 1;
        for (int i = idBytes - 1; i >= 0; i--) {
            out.write(id >>> (8 * i));
        }
        // Always an 8-byte size: simple, and allowed by EBMLMaxSizeLength = 8.
        out.write(0x01);
        for (int i = 6; i >= 0; i--) {
            out.write((int) ((long) data.length >>> (8 * i)));
        }
        out.writeBytes(data);
        return out.toByteArray();
    }

    private static byte[] uint(int id, long value) {
        byte[] b = new byte[8];
        for (int i = 0; i < 8; i++) {
            b[i] = (byte) (value >>> (8 * (7 - i)));
        }
        return element(id, b);
    }

    private static byte[] floatElement(int id, double value) {
        long bits = Double.doubleToLongBits(value);
        byte[] b = new byte[8];
        for (int i = 0; i < 8; i++) {
            b[i] = (byte) (bits >>> (8 * (7 - i)));
        }
        return element(id, b);
    }

    private static byte[] string(int id, String value) {
        return element(id, value.getBytes(StandardCharsets.US_ASCII));
    }

    private static byte[] concat(byte[]... parts) {
        return concat(List.of(parts));
    }

    private static byte[] concat(List<byte[]> parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        parts.forEach(out::writeBytes);
        return out.toByteArray();
    }
}
