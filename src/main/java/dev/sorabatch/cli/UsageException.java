package dev.sorabatch.cli;

/** The command line or configuration is wrong; nothing was submitted (exit 2). */
public class UsageException extends RuntimeException {
    public UsageException(String message) {
        super(message);
    }
}
