package dev.sorabatch.job;

import dev.sorabatch.ledger.Ledger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

import dev.sorabatch.csv.VideoRequest;
import dev.sorabatch.i18n.Messages;

/**
 * Gives each row of a run file names that no other row of the run has (ignoring case, whatever suffix made them)
 * and that no file already in the output folder has: such a file was not written by this run, so it is never
 * replaced. The names given are recorded in {@code SORA_FILE_NAME}, committed before the create is sent, so a
 * resumed run keeps them and recognises the files it wrote under them as its own.
 */
public class FileNameRegistry {

    /** A row's stem, and what the report should say when a file in the folder made it differ from the id. */
    public record Assignment(String stem, String note) {
    }

    private final JdbcTemplate jdbc;
    private final Ledger ledger;
    private final TransactionTemplate ownTransaction;

    public FileNameRegistry(JdbcTemplate jdbc, PlatformTransactionManager transactionManager, Ledger ledger) {
        this.jdbc = jdbc;
        this.ledger = ledger;
        this.ownTransaction = new TransactionTemplate(transactionManager);
        this.ownTransaction.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
    }

    /**
     * @param extensions what the row's files will end with: the video's first, then the thumbnail's
     */
    public Assignment assign(long runId, VideoRequest request, Path outputDir, List<String> extensions) {
        while (true) {
            Set<String> existing = new LinkedHashSet<>();
            String stem = FileStems.assign(request, candidate -> taken(runId, request, candidate, outputDir,
                    extensions, existing));
            if (reserve(runId, request.rowNumber(), FileStems.names(stem, request.nVariants()))) {
                return new Assignment(stem, existing.isEmpty() ? null : Messages.get("files.kept",
                        existing.iterator().next(), savedAs(stem, request.nVariants(), extensions)));
            }
            // another writer reserved one of these names in between: look again
        }
    }

    private FileStems.Taken taken(long runId, VideoRequest request, String candidate, Path outputDir,
            List<String> extensions, Set<String> existing) {
        List<String> keys = FileStems.names(candidate, request.nVariants()).stream().map(FileStems::key).toList();
        Integer others = jdbc.queryForObject("SELECT COUNT(*) FROM SORA_FILE_NAME WHERE RUN_ID = ? AND ROW_NUM <> ? "
                + "AND NAME_KEY IN (" + String.join(", ", keys.stream().map(k -> "?").toList()) + ")",
                Integer.class, args(runId, request.rowNumber(), keys));
        // ledger.stemTaken: stems given by a version that did not record names yet (a run resumed after an upgrade)
        if ((others != null && others > 0) || ledger.stemTaken(runId, candidate)) {
            return FileStems.Taken.BY_ANOTHER_ROW;
        }
        for (String name : FileStems.fileNames(candidate, request.nVariants())) {
            for (String extension : extensions) {
                String file = name + "." + extension;
                if (Files.exists(outputDir.resolve(file))) {
                    existing.add(file);
                    return FileStems.Taken.ON_DISK;
                }
            }
        }
        return FileStems.Taken.FREE;
    }

    /** Records the names for the row; false when another row has one of them (nothing is then recorded). */
    private boolean reserve(long runId, int row, List<String> names) {
        try {
            ownTransaction.executeWithoutResult(status -> {
                for (String name : names) {
                    String key = FileStems.key(name);
                    List<Integer> owner = jdbc.queryForList("SELECT ROW_NUM FROM SORA_FILE_NAME WHERE RUN_ID = ? "
                            + "AND NAME_KEY = ?", Integer.class, runId, key);
                    if (owner.isEmpty()) {
                        jdbc.update("INSERT INTO SORA_FILE_NAME (RUN_ID, NAME_KEY, ROW_NUM) VALUES (?, ?, ?)", runId,
                                key, row);
                    } else if (owner.get(0) != row) {
                        throw new DuplicateKeyException(key); // rolls the row's other names back
                    }
                }
            });
            return true;
        } catch (DuplicateKeyException e) {
            return false;
        }
    }

    private static String savedAs(String stem, int variants, List<String> extensions) {
        String video = extensions.get(0);
        return String.join(", ", FileStems.fileNames(stem, variants).stream().map(n -> n + "." + video).toList());
    }

    private static Object[] args(long runId, int row, List<String> keys) {
        List<Object> args = new ArrayList<>(keys.size() + 2);
        args.add(runId);
        args.add(row);
        args.addAll(keys);
        return args.toArray();
    }
}
