/**
 * A minimal demos-im client application, the content of the smallest client runtime image. It requires the api
 * alone; the providers (JSON codec, Bouncy Castle, the JDK transport) are found with the service loader, so jlink
 * adds them by name ({@code --add-modules}), see docs/jlink.md.
 */
module io.github.demosim.clientimage {
    requires io.github.demosim;
}
