package io.github.demosim.cli.ops;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.sql.SQLException;
import org.h2.tools.Server;

/**
 * A database the test can take down and bring back: H2's TCP server in the test JVM, which the server process
 * reaches with {@code jdbc:h2:tcp://127.0.0.1:<port>/demos} like any networked database. It comes back on the
 * same port, as a restarted database server does.
 */
final class H2Tcp implements AutoCloseable {
    final int port;
    private final Path dir;
    private Server server;

    H2Tcp(Path dir) throws IOException, SQLException {
        this.dir = dir;
        try (ServerSocket free = new ServerSocket(0)) {
            this.port = free.getLocalPort();
        }
        up();
    }

    String url() {
        return "jdbc:h2:tcp://127.0.0.1:" + port + "/demos";
    }

    void up() throws SQLException {
        server = Server.createTcpServer("-tcpPort", String.valueOf(port), "-baseDir", dir.toString(), "-ifNotExists")
                .start();
    }

    /** Stops listening and breaks every open connection, as a database outage does. */
    void down() {
        server.stop();
    }

    @Override
    public void close() {
        if (server != null) {
            server.stop();
        }
    }
}
