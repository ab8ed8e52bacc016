package dev.sorabatch.job;

import dev.sorabatch.sora.SoraConnection;

/**
 * The connection the job uses, chosen by the command line before the job starts (the real service, or the
 * simulator started for {@code --simulate}). Steps ask for it when they run, not when they are built.
 */
public class ActiveConnection {

    private volatile SoraConnection connection;

    public void use(SoraConnection connection) {
        this.connection = connection;
    }

    public SoraConnection get() {
        SoraConnection c = connection;
        if (c == null) {
            throw new IllegalStateException("no Sora connection configured");
        }
        return c;
    }
}
