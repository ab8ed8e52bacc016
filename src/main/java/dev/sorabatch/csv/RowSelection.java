package dev.sorabatch.csv;

import java.util.ArrayList;
import java.util.List;

import dev.sorabatch.i18n.Messages;

/**
 * {@code --rows=1-10,15}: the data rows a run is limited to, numbered as the report numbers them (1-based, blank
 * lines not counted). Its {@link #spec() canonical spec} is part of the run's identity, so ranges that merge to
 * the same rows ({@code 1-3,2-5} and {@code 1-5}) are the same run.
 */
public final class RowSelection {

    /** One inclusive range of rows. */
    private record Range(int first, int last) {
    }

    private final List<Range> ranges;

    private RowSelection(List<Range> ranges) {
        this.ranges = ranges;
    }

    /**
     * @throws IllegalArgumentException with a message naming what is wrong (the caller names the flag)
     */
    public static RowSelection parse(String spec) {
        if (spec == null || spec.isBlank()) {
            throw new IllegalArgumentException(Messages.get("rows.empty"));
        }
        List<Range> parsed = new ArrayList<>();
        for (String part : spec.split(",", -1)) {
            String item = part.strip();
            int dash = item.indexOf('-');
            int first = number(dash < 0 ? item : item.substring(0, dash), item);
            int last = dash < 0 ? first : number(item.substring(dash + 1), item);
            if (last < first) {
                throw new IllegalArgumentException(Messages.get("rows.backwards", item));
            }
            parsed.add(new Range(first, last));
        }
        parsed.sort(java.util.Comparator.comparingInt(Range::first));
        List<Range> merged = new ArrayList<>();
        for (Range range : parsed) {
            Range previous = merged.isEmpty() ? null : merged.get(merged.size() - 1);
            if (previous != null && (long) range.first() <= (long) previous.last() + 1) {
                merged.set(merged.size() - 1, new Range(previous.first(), Math.max(previous.last(), range.last())));
            } else {
                merged.add(range);
            }
        }
        return new RowSelection(List.copyOf(merged));
    }

    private static int number(String text, String item) {
        String digits = text.strip();
        if (digits.isEmpty() || !digits.chars().allMatch(Character::isDigit)) {
            throw new IllegalArgumentException(Messages.get("rows.not-a-number", item));
        }
        try {
            int n = Integer.parseInt(digits);
            if (n < 1) {
                throw new IllegalArgumentException(Messages.get("rows.from-one", item));
            }
            return n;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(Messages.get("rows.too-large", item));
        }
    }

    public boolean contains(int row) {
        for (Range range : ranges) {
            if (row >= range.first() && row <= range.last()) {
                return true;
            }
        }
        return false;
    }

    /** The last row selected: a reader can stop there. */
    public int lastRow() {
        return ranges.get(ranges.size() - 1).last();
    }

    /** The canonical form, sorted and merged: {@code 2,4-5}. */
    public String spec() {
        StringBuilder spec = new StringBuilder();
        for (Range range : ranges) {
            if (!spec.isEmpty()) {
                spec.append(',');
            }
            spec.append(range.first());
            if (range.last() != range.first()) {
                spec.append('-').append(range.last());
            }
        }
        return spec.toString();
    }

    @Override
    public String toString() {
        return spec();
    }
}
