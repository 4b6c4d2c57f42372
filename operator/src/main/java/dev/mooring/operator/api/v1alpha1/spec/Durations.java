package dev.mooring.operator.api.v1alpha1.spec;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Durations in the spec are strings such as "25s", "1m30s" or "500ms": the subset of Go's duration
 * syntax that CEL's duration() and Mooring agree on, checked at admission by {@link #RULE_PREFIX}.
 */
public final class Durations {
    /** Prefix of every duration CEL rule: the syntax check guards duration(), which errors on bad input. */
    // At most six digits a part: CEL's duration() fails beyond some 290 years, and Java's long before that.
    public static final String RULE_PREFIX = "self.matches('^([0-9]{1,6}(ms|s|m|h))+$') && ";

    private static final Pattern WHOLE = Pattern.compile("^([0-9]{1,6}(ms|s|m|h))+$");
    private static final Pattern PART = Pattern.compile("([0-9]+)(ms|s|m|h)");

    private Durations() {
    }

    public static Duration parse(String text) {
        if (text == null || !WHOLE.matcher(text).matches()) {
            throw new IllegalArgumentException("not a duration: '" + text + "' (use forms such as 25s, 1m30s, 500ms)");
        }
        Duration total = Duration.ZERO;
        Matcher part = PART.matcher(text);
        while (part.find()) {
            long amount = Long.parseLong(part.group(1));
            total = total.plus(switch (part.group(2)) {
                case "ms" -> Duration.ofMillis(amount);
                case "s" -> Duration.ofSeconds(amount);
                case "m" -> Duration.ofMinutes(amount);
                default -> Duration.ofHours(amount);
            });
        }
        return total;
    }

    /** Whole seconds, rounded up, because Kubernetes counts grace and probe time in whole seconds. */
    public static long ceilSeconds(Duration duration) {
        long seconds = duration.getSeconds();
        return duration.getNano() > 0 ? seconds + 1 : seconds;
    }
}
