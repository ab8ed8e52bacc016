package dev.sorabatch.it;

import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * What some tests need from the machine (Chromium, Prism, PostgreSQL, root for a tmpfs). Locally a missing tool
 * skips the test with a message that says how to install it; under {@code CI=true} it fails the build, because
 * the README's guarantees rely on those tests having run.
 */
final class Prerequisites {

    private Prerequisites() {
    }

    /**
     * @param present whether the tool is there
     * @param what    what is missing and which test needs it, e.g. "headless Chromium (HtmlReportBrowserTests)"
     * @param install how to get it
     */
    static void require(boolean present, String what, String install) {
        if (present) {
            return;
        }
        String message = what + " is missing: " + install;
        if (onCi()) {
            Assertions.fail("CI=true, so a skipped test is a failure: " + message);
        }
        // Surefire shows only "Skipped: 1"; the console line says what to install.
        System.err.println("SKIPPED: " + message + " (README.md, \"Run the tests\", has the one line that installs "
                + "every tool the tests need; under CI=true this fails)");
        Assumptions.abort(message);
    }

    static boolean onCi() {
        return "true".equalsIgnoreCase(System.getenv("CI"));
    }
}
