package io.github.demosim.server;

/** The policy that accepts every submission. */
final class AcceptAll implements SubmissionPolicy {
    static final AcceptAll INSTANCE = new AcceptAll();

    private AcceptAll() {
    }

    @Override
    public String toString() {
        return "SubmissionPolicy.acceptAll()";
    }
}
