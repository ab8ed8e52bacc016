package dev.sorabatch.config;

import java.lang.annotation.Annotation;
import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.beans.factory.support.RootBeanDefinition;
import org.springframework.boot.context.properties.ConfigurationPropertiesBean;
import org.springframework.context.ApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.EnumerablePropertySource;
import org.springframework.core.env.PropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.stereotype.Component;

import dev.sorabatch.i18n.Messages;

/**
 * Refuses a {@code sora.*} property that nothing reads, wherever it was set (command line, {@code SORA_*}
 * environment variable, application.yml, {@code .env}): a misspelt {@code sora.max-inflite} or budget price would
 * otherwise run with the default without a word. The known names are derived from what the application binds: every
 * {@code @ConfigurationProperties} bean's type and every {@code @Value("${sora.…}")} of its beans. Runs once all beans
 * exist, before the command.
 */
@Component
public class PropertyCheck implements SmartInitializingSingleton {

    /** A property nothing reads, or a price for something that is not a size. */
    public static class PropertyException extends RuntimeException {
        PropertyException(String message) {
            super(message);
        }
    }

    private static final String PREFIX = "sora.";
    private static final String ENV_PREFIX = "SORA_";
    private static final String PRICES = "sora.pricing.per-second.<key>";
    private static final Pattern SIZE = Pattern.compile("\\d+x\\d+");
    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([^:}]+)");

    private final ConfigurableApplicationContext context;

    public PropertyCheck(ApplicationContext context) {
        this.context = (ConfigurableApplicationContext) context;
    }

    @Override
    public void afterSingletonsInstantiated() {
        check(context.getEnvironment(), knownNames());
    }

    KnownProperties knownNames() {
        KnownProperties known = new KnownProperties();
        for (ConfigurationPropertiesBean bean : ConfigurationPropertiesBean.getAll(context).values()) {
            String prefix = bean.getAnnotation().prefix().isEmpty() ? bean.getAnnotation().value()
                    : bean.getAnnotation().prefix();
            if (prefix.equals("sora") || prefix.startsWith(PREFIX)) {
                known.add(prefix, bean.asBindTarget().getType().getType());
            }
        }
        ConfigurableListableBeanFactory factory = context.getBeanFactory();
        for (String name : factory.getBeanDefinitionNames()) {
            if (factory.getMergedBeanDefinition(name) instanceof RootBeanDefinition definition) {
                Method factoryMethod = definition.getResolvedFactoryMethod();
                if (factoryMethod != null) {
                    valuesOf(factoryMethod.getParameterAnnotations(), known);
                }
                if (definition.hasBeanClass() && definition.getBeanClass().getName().startsWith("dev.sorabatch")) {
                    for (Constructor<?> constructor : definition.getBeanClass().getDeclaredConstructors()) {
                        valuesOf(constructor.getParameterAnnotations(), known);
                    }
                    for (Field field : definition.getBeanClass().getDeclaredFields()) {
                        valuesOf(new Annotation[][] { field.getAnnotations() }, known);
                    }
                }
            }
        }
        return known;
    }

    private static void valuesOf(Annotation[][] annotations, KnownProperties known) {
        for (Annotation[] parameter : annotations) {
            for (Annotation annotation : parameter) {
                if (annotation instanceof Value value) {
                    Matcher m = PLACEHOLDER.matcher(value.value());
                    while (m.find()) {
                        if (m.group(1).startsWith(PREFIX)) {
                            known.addName(m.group(1));
                        }
                    }
                }
            }
        }
    }

    /**
     * Names Spring's binder refused before this check could run (a misspelt field inside a list element, such as
     * {@code sora.endpoints[0].api-kye}), described like any other unknown property, with the nearest known name.
     */
    public static String describeUnbound(java.util.Collection<String> names) {
        KnownProperties known = new KnownProperties().add("sora", SoraProperties.class);
        List<String> problems = names.stream().map(name -> checkProperty(name, known))
                .filter(java.util.Objects::nonNull).toList();
        return String.join("; ", problems) + ". " + Messages.get("config.unknown-fix");
    }

    /** @throws PropertyException naming each unknown property, where it was set and the nearest known name */
    static void check(ConfigurableEnvironment environment, KnownProperties known) {
        Set<String> referenced = new HashSet<>();
        for (PropertySource<?> source : environment.getPropertySources()) {
            if (source instanceof EnumerablePropertySource<?> names) {
                for (String name : names.getPropertyNames()) {
                    if (names.getProperty(name) instanceof CharSequence value) {
                        Matcher m = PLACEHOLDER.matcher(value);
                        while (m.find()) {
                            referenced.add(m.group(1).toUpperCase(Locale.ROOT));
                        }
                    }
                }
            }
        }
        List<String> problems = new ArrayList<>();
        for (PropertySource<?> source : environment.getPropertySources()) {
            if (!(source instanceof EnumerablePropertySource<?> names) || source.getName().equals("configurationProperties")) {
                continue;
            }
            boolean environmentStyle = source.getName().equals(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME)
                    || source.getName().equals("dotenv");
            for (String name : names.getPropertyNames()) {
                boolean variable = environmentStyle && !name.contains(".");
                if (variable ? !name.toUpperCase(Locale.ROOT).startsWith(ENV_PREFIX) || referenced.contains(
                        name.toUpperCase(Locale.ROOT)) : !name.toLowerCase(Locale.ROOT).startsWith(PREFIX)) {
                    continue;
                }
                String problem = variable ? checkVariable(name, known) : checkProperty(name, known);
                if (problem != null) {
                    problems.add(problem + ", " + where(source));
                }
            }
        }
        if (!problems.isEmpty()) {
            throw new PropertyException(String.join("; ", problems) + ". " + Messages.get("config.unknown-fix"));
        }
    }

    private static String checkProperty(String name, KnownProperties known) {
        String uniform = KnownProperties.uniform(name);
        for (KnownProperties.Name candidate : known.names()) {
            if (candidate.property().matcher(uniform).matches()) {
                return candidate.shown().equals(PRICES) ? checkPrice(name, name.replaceAll(".*[.\\[]|\\]$", ""))
                        : null;
            }
        }
        return unknown(name, nearest(uniform, known, n -> KnownProperties.uniform(n.shown())), false);
    }

    private static String checkVariable(String name, KnownProperties known) {
        String squashed = KnownProperties.squashed(name);
        for (KnownProperties.Name candidate : known.names()) {
            if (candidate.environment().matcher(squashed).matches()) {
                String key = candidate.keyOfEnvironment(squashed);
                return candidate.shown().equals(PRICES) ? checkPrice(name, key) : null;
            }
        }
        return unknown(name, nearest(squashed, known, n -> KnownProperties.squashed(n.shown())), true);
    }

    private static String checkPrice(String name, String size) {
        if (SIZE.matcher(size).matches()) {
            return null;
        }
        String lower = size.toLowerCase(Locale.ROOT);
        if (SIZE.matcher(lower).matches()) {
            return Messages.get("config.price-case", name, "sora.pricing.per-second." + lower);
        }
        return Messages.get("config.price-size", name, size);
    }

    private static String unknown(String name, KnownProperties.Name nearest, boolean variable) {
        String suggestion = nearest == null ? "" : variable ? variableName(nearest.shown()) : nearest.shown();
        return suggestion.isEmpty() ? Messages.get("config.unknown", name)
                : Messages.get("config.unknown-near", name, suggestion);
    }

    private static KnownProperties.Name nearest(String written, KnownProperties known,
            java.util.function.Function<KnownProperties.Name, String> form) {
        KnownProperties.Name best = known.names().stream()
                .min(Comparator.comparingInt(n -> distance(written, form.apply(n)))).orElse(null);
        if (best == null) {
            return null;
        }
        int d = distance(written, form.apply(best));
        return d <= Math.max(3, written.length() / 3) ? best : null;
    }

    /** {@code sora.endpoints[0].api-key} as an environment variable: {@code SORA_ENDPOINTS_0_API_KEY}. */
    private static String variableName(String shown) {
        return shown.replace("[", "_").replace("]", "").replace("<key>", "<KEY>").replaceAll("[.-]", "_")
                .toUpperCase(Locale.ROOT);
    }

    private static String where(PropertySource<?> source) {
        return switch (source.getName()) {
            case "commandLineArgs" -> Messages.get("config.where.command-line");
            case StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME -> Messages.get("config.where.environment");
            case StandardEnvironment.SYSTEM_PROPERTIES_PROPERTY_SOURCE_NAME -> Messages.get("config.where.system");
            case "dotenv" -> Messages.get("config.where.file", ".env / .env.local");
            default -> Messages.get("config.where.file", source.getName());
        };
    }

    static int distance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                current[j] = Math.min(Math.min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }
}
