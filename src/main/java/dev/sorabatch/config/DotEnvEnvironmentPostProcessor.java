package dev.sorabatch.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;

/**
 * Reads {@code .env} then {@code .env.local} from the working directory (the original app kept its key there).
 * Real environment variables and command-line arguments win over both; {@code .env.local} wins over {@code .env}.
 *
 * <p>Hand-written on purpose: a {@code .env} holds API keys, and a malformed line must be reported by file, line
 * number and kind without ever being quoted. Boot's {@code spring.config.import=file:.env[.properties]} would keep
 * the quotes of {@code KEY="value"} and read {@code export KEY=value} as another name, and dotenv-java puts the
 * malformed line itself in its exception message.
 */
public class DotEnvEnvironmentPostProcessor implements EnvironmentPostProcessor {

    public static final String DIRECTORY_PROPERTY = "sora.dotenv.dir";
    static final String PROBLEMS_PROPERTY = "sora.dotenv.problems";
    private static final java.util.regex.Pattern NAME = java.util.regex.Pattern.compile("[A-Za-z_][A-Za-z0-9_.-]*");

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        Path dir = Path.of(environment.getProperty(DIRECTORY_PROPERTY, "."));
        Map<String, Object> values = new LinkedHashMap<>();
        List<String> problems = new java.util.ArrayList<>();
        for (String name : List.of(".env", ".env.local")) {
            values.putAll(read(dir.resolve(name), problems));
        }
        // Logging is not set up yet: the command reports these (sora.dotenv.problems) once it starts.
        for (int i = 0; i < problems.size(); i++) {
            values.put(PROBLEMS_PROPERTY + "[" + i + "]", problems.get(i));
        }
        if (!values.isEmpty()) {
            MapPropertySource source = new MapPropertySource("dotenv", values);
            if (environment.getPropertySources().contains(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME)) {
                environment.getPropertySources()
                        .addAfter(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, source);
            } else {
                environment.getPropertySources().addLast(source);
            }
        }
    }

    static Map<String, String> read(Path file) {
        return read(file, new java.util.ArrayList<>());
    }

    /**
     * @param problems receives {@code file:line:kind} for each line that is not {@code NAME=value} (kinds
     *            {@code no-equals}, {@code bad-name}) or a file that cannot be read ({@code unreadable},
     *            {@code not-utf8}); never the line itself, which may hold a key
     */
    static Map<String, String> read(Path file, List<String> problems) {
        Map<String, String> values = new LinkedHashMap<>();
        if (!Files.isRegularFile(file)) {
            return values;
        }
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (java.nio.charset.CharacterCodingException e) {
            problems.add(file + ":0:not-utf8");
            return values;
        } catch (IOException e) {
            problems.add(file + ":0:unreadable");
            return values;
        }
        int number = 0;
        for (String line : lines) {
            number++;
            String trimmed = line.strip();
            if (number == 1 && trimmed.startsWith("\uFEFF")) {
                trimmed = trimmed.substring(1).strip();
            }
            if (trimmed.isEmpty() || trimmed.startsWith("#")) {
                continue;
            }
            if (trimmed.startsWith("export ")) {
                trimmed = trimmed.substring("export ".length()).strip();
            }
            int eq = trimmed.indexOf('=');
            if (eq <= 0) {
                problems.add(file + ":" + number + ":no-equals");
                continue;
            }
            String key = trimmed.substring(0, eq).strip();
            if (!NAME.matcher(key).matches()) {
                problems.add(file + ":" + number + ":bad-name");
                continue;
            }
            String value = trimmed.substring(eq + 1).strip();
            if (value.length() >= 2 && (value.startsWith("\"") && value.endsWith("\"")
                    || value.startsWith("'") && value.endsWith("'"))) {
                value = value.substring(1, value.length() - 1);
            } else {
                int comment = value.indexOf(" #");
                if (comment >= 0) {
                    value = value.substring(0, comment).strip();
                }
            }
            values.put(key, value);
        }
        return values;
    }
}
