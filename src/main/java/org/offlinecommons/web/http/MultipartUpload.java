package org.offlinecommons.web.http;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.MultiPart;
import org.eclipse.jetty.io.Content;
import org.offlinecommons.admin.PackUploads;
import org.offlinecommons.admin.UploadFile;
import org.offlinecommons.web.HttpProblem;

/**
 * Reads an upload form ({@code multipart/form-data}) as it arrives: the file part goes straight
 * to an {@link UploadFile}, under its limit, and is never held in memory. Jetty's parser finds
 * the parts; it swallows exceptions thrown by its listener, so a failure is kept and rethrown
 * after each piece of input.
 *
 * <p>The form must send its {@code csrf} field before the file, as our form does (browsers send
 * fields in page order): the token is checked before a byte of the file is stored.
 */
public final class MultipartUpload {

    public static final String FILE_FIELD = "pack";
    /** Everything but the file: a token and perhaps a few small fields. */
    private static final int MAX_FIELD_BYTES = 4096;
    private static final int MAX_PARTS = 10;

    private MultipartUpload() {
    }

    /**
     * @param tokenCheck called with the {@code csrf} field (null if the file comes first); throws to refuse
     * @return the received file, which the caller owns (and must close)
     */
    public static UploadFile read(InputStream body, String contentType, PackUploads uploads, Consumer<String> tokenCheck)
            throws IOException {
        String boundary = MultiPart.extractBoundary(contentType);
        if (boundary == null || boundary.isEmpty()) {
            throw HttpProblem.badRequest("problem.upload.noBoundary");
        }
        Parts parts = new Parts(uploads, tokenCheck);
        MultiPart.Parser parser = new MultiPart.Parser(boundary, parts);
        parser.setMaxParts(MAX_PARTS);
        parser.setPartHeadersMaxLength(MAX_FIELD_BYTES);
        byte[] buffer = new byte[64 * 1024];
        try {
            int n;
            while (!parts.complete && (n = body.read(buffer)) != -1) {
                parser.parse(Content.Chunk.from(ByteBuffer.wrap(buffer, 0, n), false));
                parts.rethrow();
            }
            if (!parts.complete) {
                parser.parse(Content.Chunk.EOF);
                parts.rethrow();
            }
            if (!parts.complete) {
                throw HttpProblem.badRequest("problem.upload.cutOff");
            }
            if (parts.file == null) {
                throw HttpProblem.badRequest("problem.upload.noFile", FILE_FIELD);
            }
            UploadFile received = parts.file;
            parts.file = null;
            return received;
        } finally {
            if (parts.file != null) {
                parts.file.close();
            }
        }
    }

    private static final class Parts extends MultiPart.AbstractPartsListener {
        private final PackUploads uploads;
        private final Consumer<String> tokenCheck;
        private UploadFile file;
        private boolean tokenChecked;
        private boolean inFile;
        private final StringBuilder field = new StringBuilder();
        private int fieldBytes;
        private boolean complete;
        private RuntimeException failure;

        Parts(PackUploads uploads, Consumer<String> tokenCheck) {
            this.uploads = uploads;
            this.tokenCheck = tokenCheck;
        }

        void rethrow() {
            if (failure != null) {
                throw failure;
            }
        }

        @Override
        public void onPartHeaders() {
            if (failure != null) {
                return;
            }
            fieldBytes = 0;
            field.setLength(0);
            inFile = FILE_FIELD.equals(getName()) && getFileName() != null;
            if (!inFile) {
                return;
            }
            try {
                if (!tokenChecked) {
                    tokenCheck.accept(null);
                    tokenChecked = true;
                }
                if (file != null) {
                    throw HttpProblem.badRequest("problem.upload.oneFile");
                }
                file = uploads.create(getFileName());
            } catch (RuntimeException e) {
                failure = e;
            } catch (IOException e) {
                failure = new UncheckedIOException(e);
            }
        }

        @Override
        public void onPartContent(Content.Chunk chunk) {
            try {
                if (failure != null || !chunk.hasRemaining()) {
                    return;
                }
                if (inFile) {
                    file.write(chunk.getByteBuffer());
                } else {
                    fieldBytes += chunk.remaining();
                    if (fieldBytes > MAX_FIELD_BYTES) {
                        throw HttpProblem.badRequest("problem.upload.longField");
                    }
                    field.append(StandardCharsets.UTF_8.decode(chunk.getByteBuffer()));
                }
            } catch (RuntimeException e) {
                failure = e;
            } catch (IOException e) {
                failure = new UncheckedIOException(e);
            } finally {
                chunk.release();
            }
        }

        @Override
        public void onPart(String name, String fileName, HttpFields headers) {
            if (failure != null || inFile) {
                return;
            }
            if (AdminGate.CSRF_FIELD.equals(name) && !tokenChecked) {
                try {
                    tokenCheck.accept(field.toString());
                    tokenChecked = true;
                } catch (RuntimeException e) {
                    failure = e;
                }
            }
        }

        @Override
        public void onComplete() {
            complete = true;
        }

        @Override
        public void onFailure(Throwable cause) {
            if (failure == null) {
                failure = HttpProblem.badRequest("problem.upload.invalid", cause.getMessage());
            }
        }
    }
}
