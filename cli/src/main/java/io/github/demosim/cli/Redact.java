package io.github.demosim.cli;

/** Keeps passwords out of what the CLI prints. */
final class Redact {
    private Redact() {
    }

    static String jdbcUrl(String url) {
        return url.replaceAll("(?i)(password=)[^&;]*", "$1***").replaceAll("//([^:/@]+):[^@/]*@", "//$1:***@");
    }
}
