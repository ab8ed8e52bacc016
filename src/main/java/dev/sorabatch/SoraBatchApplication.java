package dev.sorabatch;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.context.ConfigurableApplicationContext;

import dev.sorabatch.cli.StartupFailure;

/** sora-batch: a CSV of prompts in, Sora videos and a per-row report out. */
@SpringBootApplication
@ConfigurationPropertiesScan
public class SoraBatchApplication {

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs one command to the end and returns its exit code (0, 1, 2 or 3). */
    public static int run(String... args) {
        SpringApplication application = new SpringApplication(SoraBatchApplication.class);
        // SIGTERM is handled by the command (GracefulShutdown), which must still have its database while the run
        // stops; Spring's own hook would close it underneath.
        application.setRegisterShutdownHook(false);
        ConfigurableApplicationContext context;
        try {
            context = application.run(args);
        } catch (RuntimeException e) {
            java.util.List<String> words = java.util.Arrays.asList(args);
            String command = words.contains("status") ? "status" : words.contains("cancel") ? "cancel" : null;
            Integer answered = StartupFailure.answerWithoutRepository(e, command, args);
            if (answered != null) {
                return answered;
            }
            System.err.println(StartupFailure.describe(e, command));
            return StartupFailure.exitCode(e);
        }
        // the command is the context's ExitCodeGenerator: the code it decided, and the context closed
        return SpringApplication.exit(context);
    }
}
