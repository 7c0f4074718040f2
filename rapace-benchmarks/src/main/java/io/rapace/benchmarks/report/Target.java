package io.rapace.benchmarks.report;

import java.math.BigDecimal;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalDouble;

import org.jspecify.annotations.Nullable;

/**
 * One target of the performance issue as a check on one figure of one row of a comparison run: {@code row}'s
 * {@code figure} against {@code bound}.
 *
 * @param number the target's number in the issue and a letter ({@code 1a}, {@code 2e}, ...)
 * @param what what is measured, in a few words
 * @param row the row of the run that measures it
 * @param figure which of the row's figures
 * @param bound what the issue asks of it
 * @param goal the goal beyond the bound, or null where it names none
 */
record Target(String number, String what, String row, Figure figure, Bound bound, @Nullable String goal) {

    /** The figures a target can bound: the keys of a {@code RESULT} line and their units. */
    enum Figure {
        P50("p50_us", "µs"),
        P99("p99_us", "µs"),
        IDLE_CPU("idle_cpu_pct", "%"),
        FIRST_AFTER_IDLE("first_after_idle_us", "µs"),
        STARTUP("startup_ms", "ms"),
        CALLS_PER_SECOND("calls_per_s", "calls/s"),
        GIGABYTES_PER_SECOND("gbps", "GB/s");

        private final String key;
        private final String unit;

        Figure(String key, String unit) {
            this.key = key;
            this.unit = unit;
        }

        String key() {
            return this.key;
        }

        /** {@code value} with this figure's unit, e.g. {@code 0.38 µs}, {@code 1,672,658 calls/s}. */
        String format(double value) {
            String number = String.format(Locale.ROOT, this == CALLS_PER_SECOND || value >= 100 ? "%,.0f" : "%.2f",
                    value);
            return withUnit(number);
        }

        /** A bound's {@code limit} with this figure's unit, without trailing zeros: {@code 0.2 %}, {@code 50 µs}. */
        String formatLimit(double limit) {
            return withUnit(limit >= 1_000 ? String.format(Locale.ROOT, "%,.0f", limit)
                    : BigDecimal.valueOf(limit).stripTrailingZeros().toPlainString());
        }

        private String withUnit(String number) {
            return this == IDLE_CPU ? number + " %" : number + " " + this.unit;
        }
    }

    /** What a target asks of its figure: a fixed {@link Limit}, or a multiple of another row's figure. */
    sealed interface Bound {

        /** The bound as the table shows it. */
        String text(Figure figure);
    }

    /** How a figure compares with a fixed limit: the "≤", "<" and "≥". */
    enum Comparison {
        AT_MOST("≤"),
        BELOW("<"),
        AT_LEAST("≥");

        private final String sign;

        Comparison(String sign) {
            this.sign = sign;
        }

        boolean holds(double measured, double limit) {
            return switch (this) {
                case AT_MOST -> measured <= limit;
                case BELOW -> measured < limit;
                case AT_LEAST -> measured >= limit;
            };
        }
    }

    /** A fixed limit, e.g. p99 ≤ 50 µs. */
    record Limit(Comparison comparison, double limit) implements Bound {
        /** Whether {@code measured} is within the limit. */
        boolean holds(double measured) {
            return this.comparison.holds(measured, this.limit);
        }

        @Override
        public String text(Figure figure) {
            return this.comparison.sign + " " + figure.formatLimit(this.limit);
        }
    }

    /** At most {@code factor} times the same figure of {@code row} in the same run (the "≤ 2× the reference"). */
    record TimesRow(double factor, String row) implements Bound {
        /** Whether {@code measured} is at most the factor times {@code reference}, the reference row's figure. */
        boolean holds(double measured, double reference) {
            return measured <= this.factor * reference;
        }

        /** The reference row's figure in this run, or empty when the row or its figure is missing. */
        OptionalDouble reference(Figure figure, Map<String, ResultLine> rows) {
            ResultLine line = rows.get(this.row);
            return line == null ? OptionalDouble.empty() : line.figure(figure.key());
        }

        @Override
        public String text(Figure figure) {
            return "≤ " + String.format(Locale.ROOT, "%.0f", this.factor) + "× " + this.row;
        }
    }
}
