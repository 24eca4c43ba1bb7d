package io.github.demosim.reliability.support;

import io.github.demosim.ConnectionState;
import io.github.demosim.ErrorCode;
import io.github.demosim.ImException;
import io.github.demosim.L2psMessagingPeer;
import io.github.demosim.SendResult;
import io.github.demosim.ServerErrorException;
import io.github.demosim.frame.l2ps.Encrypted;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What an application that must not lose messages does with the SDK: encrypt each message once, and when a send
 * fails for want of a connection or an answer ({@code NOT_CONNECTED}, {@code REQUEST_TIMEOUT}, {@code RATE_LIMITED},
 * the offline quota), send the very same payload and hash again. A hardened server answers a repeat with the original
 * acknowledgement, so a retry never delivers twice.
 */
public final class ReliableSender {
    private static final Duration GUARD = Duration.ofSeconds(120);

    private final L2psMessagingPeer peer;
    private final List<String> acknowledged = new CopyOnWriteArrayList<>();
    private final AtomicInteger retries = new AtomicInteger();

    public ReliableSender(L2psMessagingPeer peer) {
        this.peer = peer;
    }

    /** Sends until the server acknowledges; returns its answer. */
    public SendResult send(String to, Encrypted encrypted, String messageHash) {
        long deadline = System.nanoTime() + GUARD.toNanos();
        while (true) {
            try {
                SendResult r = peer.send(to, encrypted, messageHash).get(GUARD.toSeconds(), TimeUnit.SECONDS);
                acknowledged.add(messageHash);
                return r;
            } catch (ExecutionException e) {
                Throwable cause = e.getCause();
                if (!retryable(cause) || System.nanoTime() > deadline) {
                    throw new AssertionError("send " + messageHash + " failed for good", cause);
                }
                retries.incrementAndGet();
                Await.until("the sender to be connected again", GUARD,
                        () -> peer.state() == ConnectionState.CONNECTED);
                if (cause instanceof ServerErrorException) {
                    Await.sleep(200); // rate limited: let the bucket refill
                }
            } catch (TimeoutException e) {
                throw new AssertionError("the send future never completed (" + GUARD.toSeconds() + " s)", e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted", e);
            }
        }
    }

    private static boolean retryable(Throwable t) {
        if (t instanceof ServerErrorException s) {
            // The offline quota (l2ps.md §6.2) refuses while the recipient is not back yet after a restart (the sender
            // reconnected first): its drain frees the quota, and the application sends again, as for a rate limit.
            return "RATE_LIMITED".equals(s.serverCode())
                    || s.serverMessage().filter("Offline message limit reached"::equals).isPresent();
        }
        return t instanceof ImException im
                && (im.code() == ErrorCode.NOT_CONNECTED || im.code() == ErrorCode.REQUEST_TIMEOUT);
    }

    /** The hashes the server acknowledged, in order. */
    public List<String> acknowledged() {
        return List.copyOf(acknowledged);
    }

    /** How many sends had to be repeated. */
    public int retries() {
        return retries.get();
    }
}
