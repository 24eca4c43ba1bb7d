package io.github.demosim.server.internal.store;

import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * The free disk space kept beside an embedded H2 file ({@code ServerLimits.withDiskReserve}): once the disk has
 * less, {@link #reached()} answers true and the protocols refuse new messages until it has enough again.
 *
 * <p>Why: the H2 file can outgrow its live data many times under sustained traffic (docs/server.md, "The H2
 * file's housekeeping"). Without a reserve, on a full disk every write that needs room fails inside H2, which
 * closes its store; the server then closes every connection and reopens the database, at each such write
 * (docs/server.md, "Persistence", has the run), and nothing else on that disk can write either. With it, senders
 * are told to try later while everything already stored is still delivered, and the housekeeping has room to
 * rewrite chunks.
 *
 * <p>Threads: any; the free space is read again at most every {@link #REREAD_NANOS} (a {@code statvfs} call, a
 * few microseconds), by whichever caller finds the last reading too old. Changes are logged once each way.
 */
final class DiskReserve {
    private static final System.Logger LOG = System.getLogger(DiskReserve.class.getName());
    /** How old a reading of the free space may be. */
    static final long REREAD_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

    private final long reserveBytes;
    private final LongSupplier freeBytes;
    private final LongSupplier nanoTime;
    private final Object reading = new Object();
    private volatile long readAt;
    private volatile boolean reached;

    /**
     * @param reserveBytes bytes to keep free, 0 for none
     * @param freeBytes the disk's usable space now, or -1 where it cannot be read (then nothing is refused)
     * @param nanoTime a clock as {@link System#nanoTime}
     */
    DiskReserve(long reserveBytes, LongSupplier freeBytes, LongSupplier nanoTime) {
        this.reserveBytes = reserveBytes;
        this.freeBytes = freeBytes;
        this.nanoTime = nanoTime;
        this.readAt = nanoTime.getAsLong() - REREAD_NANOS;
    }

    /**
     * Whether the disk has less free space than the reserve, as last read.
     *
     * @return {@code true} while new messages are to be refused
     */
    boolean reached() {
        if (reserveBytes == 0) {
            return false;
        }
        if (nanoTime.getAsLong() - readAt >= REREAD_NANOS) {
            synchronized (reading) {
                long now = nanoTime.getAsLong();
                if (now - readAt >= REREAD_NANOS) {
                    readAt = now;
                    update(freeBytes.getAsLong());
                }
            }
        }
        return reached;
    }

    private void update(long free) {
        boolean below = free >= 0 && free < reserveBytes;
        if (below != reached) {
            reached = below;
            if (below) {
                LOG.log(System.Logger.Level.WARNING, "the disk of the H2 database file has " + mib(free) + " MiB free, "
                        + "less than the " + mib(reserveBytes) + " MiB the server keeps free: new messages are refused "
                        + "(\"Server storage is full\") until it has more. Free space on that disk, move the database "
                        + "to a larger one, or lower the reserve (--disk-reserve, ServerLimits.withDiskReserve)");
            } else {
                LOG.log(System.Logger.Level.WARNING, "the disk of the H2 database file has " + mib(free) + " MiB free "
                        + "again: new messages are accepted");
            }
        }
    }

    private static long mib(long bytes) {
        return bytes >> 20;
    }

    /**
     * The usable space of the disk that holds an H2 file, as H2 names the file: its file-system prefixes
     * ({@code nio:}, {@code async:}, {@code split:30:}, ...) dropped.
     *
     * @param h2FileName the MVStore's file name
     * @return the free space, read on each call; one answering -1 (with a warning now) where no disk is found
     */
    static LongSupplier usableSpaceOf(String h2FileName) {
        String name = h2FileName.replaceFirst("^(?:[A-Za-z]{2,}:(?:\\d+:)?)+", "");
        FileStore disk;
        try {
            disk = Files.getFileStore(Path.of(name));
        } catch (IOException | InvalidPathException | SecurityException e) {
            LOG.log(System.Logger.Level.WARNING, "cannot find the disk of the H2 database file " + h2FileName + " ("
                    + e + "): the disk reserve does not apply");
            return () -> -1;
        }
        return () -> {
            try {
                return disk.getUsableSpace();
            } catch (IOException | SecurityException e) {
                return -1; // the next commit will say what is wrong with the disk; a guess here refuses nothing
            }
        };
    }
}
