package io.rapace.demo;

import java.io.PrintStream;
import java.util.Locale;

/** Prints the demo's report: section titles and label/value rows, the values in one column. */
final class DemoReport {

    /** Width of the label column: the longest label plus room. */
    static final int LABEL_WIDTH = 34;

    private final PrintStream out;

    DemoReport(PrintStream out) {
        this.out = out;
    }

    /** A blank line, then {@code == title}. */
    void section(String title) {
        this.out.println();
        this.out.println("== " + title);
    }

    /** One row: the label padded to {@link #LABEL_WIDTH}, then the value. */
    void row(String label, Object value) {
        this.out.println(String.format(Locale.ROOT, "%-" + LABEL_WIDTH + "s %s", label, value).stripTrailing());
    }

    /** A line as it is. */
    void line(String text) {
        this.out.println(text);
    }

    /** {@code 12,001}, or {@code -} for NaN; fractions keep one decimal. */
    static String number(double value) {
        if (Double.isNaN(value)) {
            return "-";
        }
        return (value == Math.rint(value)) ? String.format(Locale.ROOT, "%,.0f", value)
                : String.format(Locale.ROOT, "%,.1f", value);
    }

    /** {@code 98.9 µs}. */
    static String micros(double nanos) {
        return Double.isNaN(nanos) ? "-" : String.format(Locale.ROOT, "%,.1f µs", nanos / 1_000.0);
    }

    /** {@code 74.9 ms}, or {@code -} for NaN. */
    static String millisFromSeconds(double seconds) {
        return Double.isNaN(seconds) ? "-" : String.format(Locale.ROOT, "%,.1f ms", seconds * 1_000.0);
    }
}
