package dev.sorabatch.job;

import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;

import dev.sorabatch.i18n.Messages;

/**
 * One live process per input file, across machines sharing a job repository. The holder writes a heartbeat every
 * few seconds; a lock whose holder is gone (its PID no longer exists on this host, or its heartbeat went stale)
 * is taken over. This is how a killed run is told from a live one: the dead one is recovered and resumed, the
 * live one is left alone.
 */
public class RunLock {

    private static final Logger log = LoggerFactory.getLogger(RunLock.class);

    /** Who holds a lock, for messages. */
    public record Holder(String host, long pid, Instant acquiredAt, Instant heartbeatAt) {
    }

    private final JdbcTemplate jdbc;
    private final Duration heartbeat;
    private final Duration staleAfter;
    private final String host;
    private final long pid;

    public RunLock(JdbcTemplate jdbc, Duration heartbeat, Duration staleAfter) {
        this.jdbc = jdbc;
        this.heartbeat = heartbeat;
        this.staleAfter = staleAfter;
        this.host = hostName();
        this.pid = ProcessHandle.current().pid();
    }

    /** A held lock; closing it stops the heartbeat and releases it. */
    public final class Held implements AutoCloseable {
        private final String key;
        private final ScheduledExecutorService beat;

        private Held(String key) {
            this.key = key;
            this.beat = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "sora-run-heartbeat");
                t.setDaemon(true);
                return t;
            });
            beat.scheduleAtFixedRate(this::beat, heartbeat.toMillis(), heartbeat.toMillis(), TimeUnit.MILLISECONDS);
        }

        private void beat() {
            try {
                jdbc.update("UPDATE SORA_RUN_LOCK SET HEARTBEAT_AT = ? WHERE INPUT_KEY = ? AND OWNER_HOST = ? AND OWNER_PID = ?",
                        System.currentTimeMillis(), key, host, pid);
            } catch (RuntimeException e) {
                log.warn(Messages.get("run.heartbeat-failed", e.getMessage()));
            }
        }

        @Override
        public void close() {
            beat.shutdownNow();
            jdbc.update("DELETE FROM SORA_RUN_LOCK WHERE INPUT_KEY = ? AND OWNER_HOST = ? AND OWNER_PID = ?", key, host,
                    pid);
        }
    }

    /** Thrown when a live process holds the lock. */
    public static class HeldElsewhereException extends RuntimeException {
        private final Holder holder;

        HeldElsewhereException(Holder holder) {
            super("held by pid " + holder.pid() + " on " + holder.host());
            this.holder = holder;
        }

        public Holder holder() {
            return holder;
        }
    }

    public Held acquire(String key, String description) {
        long now = System.currentTimeMillis();
        try {
            jdbc.update("INSERT INTO SORA_RUN_LOCK (INPUT_KEY, INPUT_PATH, OWNER_HOST, OWNER_PID, ACQUIRED_AT, HEARTBEAT_AT) "
                    + "VALUES (?, ?, ?, ?, ?, ?)", key, description, host, pid, now, now);
            return new Held(key);
        } catch (DuplicateKeyException taken) {
            Optional<Holder> holder = holder(key);
            if (holder.isPresent() && isAlive(holder.get())) {
                throw new HeldElsewhereException(holder.get());
            }
            // Take over a dead holder's lock, but only if nobody else took it over first.
            int updated = holder.isEmpty() ? 0 : jdbc.update("UPDATE SORA_RUN_LOCK SET OWNER_HOST = ?, OWNER_PID = ?, "
                    + "ACQUIRED_AT = ?, HEARTBEAT_AT = ? WHERE INPUT_KEY = ? AND OWNER_HOST = ? AND OWNER_PID = ? "
                    + "AND HEARTBEAT_AT = ?", host, pid, now, now, key, holder.get().host(), holder.get().pid(),
                    holder.get().heartbeatAt().toEpochMilli());
            if (updated == 1) {
                log.info(Messages.get("run.lock-taken-over", description, holder.get().pid(), holder.get().host()));
                return new Held(key);
            }
            return acquire(key, description);
        }
    }

    /** Who holds the lock of this input key and is alive, if anyone: read only, for {@code status}. */
    public Optional<Holder> liveHolder(String key) {
        return holder(key).filter(this::isAlive);
    }

    private Optional<Holder> holder(String key) {
        List<Holder> holders = jdbc.query("SELECT OWNER_HOST, OWNER_PID, ACQUIRED_AT, HEARTBEAT_AT FROM SORA_RUN_LOCK "
                + "WHERE INPUT_KEY = ?", (rs, i) -> new Holder(rs.getString(1), rs.getLong(2),
                        Instant.ofEpochMilli(rs.getLong(3)), Instant.ofEpochMilli(rs.getLong(4))), key);
        return holders.stream().findFirst();
    }

    private boolean isAlive(Holder holder) {
        boolean fresh = holder.heartbeatAt().isAfter(Instant.now().minus(staleAfter));
        if (holder.host().equals(host)) {
            return fresh && ProcessHandle.of(holder.pid()).map(ProcessHandle::isAlive).orElse(false);
        }
        return fresh;
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (Exception e) {
            return "localhost";
        }
    }
}
