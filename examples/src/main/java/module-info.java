/** A demos-im application: requires the API (and here the embedded server), never a provider. */
module com.example.chat {
    requires io.github.demosim;
    requires io.github.demosim.server;
}
