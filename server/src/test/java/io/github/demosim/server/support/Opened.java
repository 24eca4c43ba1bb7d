package io.github.demosim.server.support;

import java.util.ArrayList;
import java.util.List;

/** What a test started itself (servers, clients), closed in reverse order when the test ends. */
public final class Opened implements AutoCloseable {
    private final List<AutoCloseable> opened = new ArrayList<>();

    /** Remembers something to close; returns it. */
    public synchronized <T extends AutoCloseable> T add(T resource) {
        opened.add(resource);
        return resource;
    }

    /** Closes everything, the last opened first; a failure to close one does not keep the others open. */
    @Override
    public synchronized void close() {
        IllegalStateException failed = null;
        for (int i = opened.size() - 1; i >= 0; i--) {
            try {
                opened.get(i).close();
            } catch (Exception e) {
                if (failed == null) {
                    failed = new IllegalStateException("could not close " + opened.get(i), e);
                }
            }
        }
        opened.clear();
        if (failed != null) {
            throw failed;
        }
    }
}
