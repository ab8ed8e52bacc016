package dev.sorabatch.files;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

import dev.sorabatch.i18n.Messages;

/**
 * Writes files so that a file under its final name is always complete: the bytes go to a hidden temporary file
 * in the same folder ({@code .<name>.part}), are flushed to disk, and the temporary file is renamed in one step. A
 * killed process leaves at most such a file behind (replaced by the next write of the same target), never a short
 * video or half a report under the real name.
 */
public final class AtomicFiles {

    public interface Content {
        void writeTo(OutputStream out) throws IOException;
    }

    private AtomicFiles() {
    }

    /** Told of each file complete in its temporary name, before it takes its own: only fault injection listens. */
    private static volatile java.util.function.Consumer<Path> beforeRename = target -> { };

    /** Installed by an enabled {@link CrashPoints}; nothing listens otherwise. */
    static void beforeRename(java.util.function.Consumer<Path> hook) {
        beforeRename = hook;
    }

    /** @return the number of bytes written */
    public static long write(Path target, Content content) throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        // Not Files.createTempFile: its owner-only permissions would be kept by the final file. One fixed name per
        // target, so the leftover of an interrupted write (a killed run) is simply replaced.
        Path temp = dir.resolve("." + target.getFileName() + ".part");
        try {
            Files.createDirectories(dir);
            Files.deleteIfExists(temp);
            long size;
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
                    OutputStream out = new LocalOutputStream(java.nio.channels.Channels.newOutputStream(channel),
                            target)) {
                content.writeTo(out);
                out.flush();
                channel.force(true);
                size = channel.size();
            }
            beforeRename.accept(target);
            move(temp, target);
            return size;
        } catch (OutputFolderException e) {
            deleteQuietly(temp);
            throw e;
        } catch (java.nio.file.FileSystemException e) {
            deleteQuietly(temp);
            throw new OutputFolderException(target, e);
        } catch (IOException | RuntimeException e) {
            deleteQuietly(temp);
            throw e;
        }
    }

    private static void deleteQuietly(Path temp) {
        try {
            Files.deleteIfExists(temp);
        } catch (IOException ignored) {
            // nothing more to do: the name marks it as unfinished
        }
    }

    /**
     * The local side failed (disk full, no permission), not the network: retrying the download cannot help, the
     * operator must free space or choose another folder.
     */
    public static class OutputFolderException extends IOException {
        private final Path target;

        public OutputFolderException(Path target, IOException cause) {
            super(Messages.get("files.cannot-write", target, describe(cause)), cause);
            this.target = target;
        }

        public Path target() {
            return target;
        }

        private static String describe(IOException e) {
            String reason = e instanceof java.nio.file.FileSystemException fse && fse.getReason() != null
                    ? fse.getReason() : e.getMessage();
            return reason == null ? e.getClass().getSimpleName() : reason;
        }
    }

    /** Marks failures of writing (as opposed to reading the body being copied) as the output folder's. */
    private static final class LocalOutputStream extends java.io.FilterOutputStream {
        private final Path target;

        LocalOutputStream(OutputStream out, Path target) {
            super(out);
            this.target = target;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            try {
                out.write(b, off, len);
            } catch (IOException e) {
                throw new OutputFolderException(target, e);
            }
        }

        @Override
        public void write(int b) throws IOException {
            try {
                out.write(b);
            } catch (IOException e) {
                throw new OutputFolderException(target, e);
            }
        }

        @Override
        public void flush() throws IOException {
            try {
                out.flush();
            } catch (IOException e) {
                throw new OutputFolderException(target, e);
            }
        }
    }

    /**
     * Streams {@code in} to {@code target}; fails (leaving nothing under the target name) when fewer or more bytes
     * than {@code expectedLength} arrive. A negative expected length means "unknown".
     */
    public static long copy(InputStream in, Path target, long expectedLength) throws IOException {
        return write(target, out -> {
            long copied = in.transferTo(out);
            if (expectedLength >= 0 && copied != expectedLength) {
                throw new IncompleteDownloadException(expectedLength, copied);
            }
        });
    }

    private static void move(Path temp, Path target) throws IOException {
        try {
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /** The body ended before (or after) the announced length: the download must be retried, never kept. */
    public static class IncompleteDownloadException extends IOException {
        public IncompleteDownloadException(long expected, long actual) {
            super(Messages.get("files.incomplete", expected, actual));
        }
    }
}
