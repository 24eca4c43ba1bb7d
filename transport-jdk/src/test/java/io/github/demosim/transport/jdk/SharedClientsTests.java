package io.github.demosim.transport.jdk;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.Test;

/**
 * Connections share HttpClients (each owns a selector thread that reads and decodes for all its connections): a
 * group adds a client when every one it has serves 8 connections, up to one per processor, and a user's TLS
 * context's clients go when their last connection does.
 */
class SharedClientsTests {

    @Test
    void aGroupGrowsWithItsConnectionsAndAUsersGroupEndsWithThem() throws Exception {
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, null, null);
        String key = context.toString();
        int processors = Runtime.getRuntime().availableProcessors();
        List<SharedClients.Lease> leases = new ArrayList<>();
        for (int i = 0; i < SharedClients.CONNECTIONS_PER_CLIENT; i++) {
            leases.add(SharedClients.acquire(context));
        }
        assertThat(SharedClients.clientsPerGroup()).containsEntry(key, 1);
        assertThat(leases).extracting(SharedClients.Lease::client).containsOnly(leases.get(0).client());
        leases.add(SharedClients.acquire(context));
        assertThat(SharedClients.clientsPerGroup()).containsEntry(key, Math.min(2, processors));
        for (int i = 0; i < 4 * SharedClients.CONNECTIONS_PER_CLIENT; i++) {
            leases.add(SharedClients.acquire(context));
        }
        assertThat(SharedClients.clientsPerGroup().get(key)).isLessThanOrEqualTo(processors);
        leases.forEach(SharedClients.Lease::release);
        leases.get(0).release(); // idempotent
        assertThat(SharedClients.clientsPerGroup()).doesNotContainKey(key);
    }
}
