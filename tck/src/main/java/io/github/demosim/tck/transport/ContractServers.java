package io.github.demosim.tck.transport;

import javax.net.ssl.SSLContext;

/**
 * The test servers the contract shares within one JVM, started on first use and left to the JVM's end (their
 * threads are daemons): starting Jetty per test would dominate the suite's time.
 */
final class ContractServers {
    private static TestWebSocketServer plain;
    private static TestWebSocketServer tls;
    private static SSLContext trusting;

    private ContractServers() {
    }

    static synchronized TestWebSocketServer plain() throws Exception {
        if (plain == null) {
            plain = TestWebSocketServer.start();
        }
        return plain;
    }

    static synchronized TestWebSocketServer tls() throws Exception {
        if (tls == null) {
            SelfSignedTls material = SelfSignedTls.generate();
            tls = TestWebSocketServer.startTls(material.keyStore(), material.password());
            trusting = material.clientContext();
        }
        return tls;
    }

    static synchronized SSLContext trustingTls() throws Exception {
        tls();
        return trusting;
    }
}
